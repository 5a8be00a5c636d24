using System.CommandLine;
using System.Text;
using Stele.Cli.Configuration;
using Stele.Cli.Hosting;

namespace Stele.Cli.Commands;

/// <summary>`stele log …`: inspect the log this configuration points at.</summary>
internal static class LogCommand
{
    public static Command Create()
    {
        var log = new Command("log", "Inspect the log: event store and published files.");
        log.Subcommands.Add(CreateInfo());
        return log;
    }

    private static Command CreateInfo()
    {
        var info = new Command("info", "Show the event-store head, counts, projection checkpoints and the published checkpoint.");
        var logKey = new Option<string?>("--log-key") { Description = $"The log key file whose verifier to show (${Stele.Projections.LogKeyFile.PathVariable}, default {Stele.Projections.LogKeyFile.DefaultPath})." };
        info.Options.Add(logKey);
        info.SetAction(async (parse, ct) =>
        {
            var settings = SteleSettings.Resolve(parse);
            await using var database = SteleServices.OpenDatabase(settings);
            var store = SteleServices.OpenEventStore(database);
            var facts = await store.GetInfoAsync(ct);

            Console.WriteLine($"database       {settings.DatabaseForDisplay}");
            Console.WriteLine($"head position  {facts.HeadPosition}");
            Console.WriteLine($"events         {facts.EventCount}");
            Console.WriteLine($"streams        {facts.StreamCount}");
            if (facts.Checkpoints.Count == 0) Console.WriteLine("projections    (none yet)");
            foreach (var checkpoint in facts.Checkpoints)
                Console.WriteLine($"projection     {checkpoint.Name} at {checkpoint.Position} (lag {facts.HeadPosition - checkpoint.Position}, updated {checkpoint.UpdatedAt:u})");

            var keyPath = Stele.Projections.LogKeyFile.ResolvePath(parse.GetValue(logKey));
            if (File.Exists(keyPath))
            {
                try
                {
                    using var key = Stele.Projections.LogKeyFile.Load(keyPath);
                    Console.WriteLine($"verifier       {key.VerifierString}");
                }
                catch (Stele.Projections.LogKeyException ex)
                {
                    throw new CliException(ex.Message);
                }
            }
            else
            {
                Console.WriteLine($"verifier       (no log key at {keyPath})");
            }

            await using var storage = SteleServices.OpenStorage(settings);
            Console.WriteLine($"storage        {storage.Location}");
            var published = await storage.TryGetAsync("checkpoint", ct);
            if (published is null)
            {
                Console.WriteLine("checkpoint     (none published yet)");
                return 0;
            }
            await using (published)
            {
                using var reader = new StreamReader(published, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(ct);
                var lines = body.Split('\n');
                Console.WriteLine($"checkpoint     origin {lines.ElementAtOrDefault(0)}, size {lines.ElementAtOrDefault(1)}, root {lines.ElementAtOrDefault(2)}");
            }
            return 0;
        });
        return info;
    }
}
