using System.CommandLine;
using Stele.Cli.Configuration;
using Stele.Cli.Hosting;
using Stele.Projections;
using Stele.Projections.Rebuild;
using Stele.Storage;
using Stele.Storage.Local;

namespace Stele.Cli.Commands;

/// <summary>`stele rebuild --to TARGET`: replays the event stream into an empty store and compares it with the live one (docs/rebuild.md).</summary>
internal static class RebuildCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "The empty (or interrupted) target: file:///path or s3://bucket/prefix.", Required = true };
        var logKey = new Option<string?>("--log-key") { Description = $"The log key file (${LogKeyFile.PathVariable}, the config's logKey, default {LogKeyFile.DefaultPath})." };
        var eventsPerCycle = new Option<int>("--events-per-cycle") { Description = "Events folded per cycle.", DefaultValueFactory = _ => 20_000 };
        var command = new Command("rebuild",
            "Replay the whole event stream into an empty target through the fold and publisher, then compare every key with the live store (identical bytes or a non-zero exit). Rerun to resume after an interruption.");
        command.Options.Add(to);
        command.Options.Add(logKey);
        command.Options.Add(eventsPerCycle);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var settings = SteleSettings.Resolve(parse);
            var targetLocation = parse.GetValue(to)!;
            if (string.Equals(targetLocation.TrimEnd('/'), settings.Storage.TrimEnd('/'), StringComparison.Ordinal))
                throw new CliException($"--to {targetLocation} is the live store: rebuild into another location");
            var perCycle = parse.GetValue(eventsPerCycle);
            if (perCycle < 1) throw new CliException($"--events-per-cycle must be at least 1, not {perCycle}");
            var keyPath = LogKeyFile.ResolvePath(parse.GetValue(logKey), settings.LogKeyPath);
            if (!File.Exists(keyPath)) throw new CliException($"no log key at {keyPath}: rebuild needs the live log's key (--log-key)");
            using var key = LoadKey(keyPath);
            await using var database = SteleServices.OpenDatabase(settings);
            var events = SteleServices.OpenEventStore(database);
            await events.GetInfoAsync(ct); // fail fast, with one clear line, if the schema is missing
            await using var live = SteleServices.OpenStorage(settings);
            await using var target = OpenTarget(settings with { Storage = targetLocation });
            Console.Error.WriteLine($"rebuild: {live.Location} → {target.Location}");
            var progress = new ConsoleProgress();
            var result = await new LogRebuilder(events, database, live, target, key) { EventsPerCycle = perCycle }.RunAsync(progress, ct);
            progress.End();
            var comparison = result.Comparison;
            foreach (var mismatch in comparison.Mismatches) Console.Out.WriteLine(mismatch);
            if (!comparison.Identical)
                throw new CliException($"rebuilt log (size {result.Size}) differs from the live store in {comparison.Mismatches.Count} keys (listed above)");
            Console.Error.WriteLine($"rebuild: size {result.Size}, {result.Events} events, {comparison.Compared} keys identical ({comparison.PartialsAccepted} partial tiles of other cycle ends are prefixes)");
            return 0;
        });
        return command;
    }

    /// <summary>A directory target groups its fsyncs: one per cycle, before and after the checkpoint (docs/rebuild.md).</summary>
    private static IObjectStore OpenTarget(SteleSettings settings) =>
        ObjectStoreLocation.TryParse(settings.Storage, out var location) && location is DirectoryLocation directory
            ? new DirectoryObjectStore(directory.FullPath, DirectoryDurability.Grouped)
            : SteleServices.OpenStorage(settings);

    private static LogKey LoadKey(string path)
    {
        try
        {
            return LogKeyFile.Load(path);
        }
        catch (LogKeyException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    /// <summary>One progress line, rewritten in place on a terminal, at most every half second.</summary>
    private sealed class ConsoleProgress : IProgress<RebuildProgress>
    {
        private long _lastTicks;

        public void Report(RebuildProgress value)
        {
            var now = Environment.TickCount64;
            if (now - _lastTicks < 500) return;
            _lastTicks = now;
            Console.Error.Write($"\rrebuild: {value.Events} events, {value.Leaves} leaves, position {value.Position}   ");
            if (Console.IsErrorRedirected) Console.Error.WriteLine();
        }

        public void End()
        {
            if (_lastTicks != 0 && !Console.IsErrorRedirected) Console.Error.WriteLine();
        }
    }
}
