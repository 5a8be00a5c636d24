using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Stele.Cli.Configuration;
using Stele.Projections.Rebuild;
using Stele.Storage;
using Stele.Storage.Local;
using Stele.Tlog.Tiles;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench rebuild`: `stele rebuild` of a whole log (entries in batches, individually signed
/// entries, erasures) from the real PostgreSQL stream into an empty directory, compared byte for byte
/// with the live store, against the raw SHA-256 cost of the same tree measured in the same run
/// (one leaf input of the records' mean size per leaf plus N−1 interior inputs, bare loop).
/// </summary>
internal static class RebuildBenchCommand
{
    public static Command Create()
    {
        var entries = new Option<int>("--entries") { Description = "Entries in the log.", DefaultValueFactory = _ => 1_000_000 };
        var erasures = new Option<int>("--erasures") { Description = "Entries erased (spread over the log) before the rebuild.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Entries per single-client batch.", DefaultValueFactory = _ => 1000 };
        var eventsPerCycle = new Option<int>("--events-per-cycle") { Description = "Events folded per cycle, live and in the rebuild.", DefaultValueFactory = _ => 64 };
        var runs = new Option<int>("--runs") { Description = "Measured rebuilds (each into a fresh empty directory).", DefaultValueFactory = _ => 3 };
        var command = new Command("rebuild", "stele rebuild of a log of --entries entries with erasures into an empty directory (replay + byte comparison) vs raw SHA-256 of the same tree; medians.");
        command.Options.Add(entries);
        command.Options.Add(erasures);
        command.Options.Add(batch);
        command.Options.Add(eventsPerCycle);
        command.Options.Add(runs);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var n = parse.GetValue(entries);
            var e = parse.GetValue(erasures);
            var b = parse.GetValue(batch);
            var perCycle = parse.GetValue(eventsPerCycle);
            var r = parse.GetValue(runs);
            if (n < 1000) throw new CliException("--entries must be at least 1000");
            if (e < 0 || e > n / 2) throw new CliException("--erasures must be between 0 and half the entries");
            if (b < 1 || b > Domain.Batches.BatchTree.MaxEntries) throw new CliException($"--batch must be 1 to {Domain.Batches.BatchTree.MaxEntries}");
            if (perCycle < 1 || r < 1) throw new CliException("--events-per-cycle and --runs must be at least 1");
            await using var log = await RebuildBenchLog.BuildAsync(SteleSettings.Resolve(parse).Database, n, b, e, perCycle, ct);
            await RunAsync(log, n, e, perCycle, r, ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(RebuildBenchLog log, int entries, int erasures, int eventsPerCycle, int runs, CancellationToken ct)
    {
        var leaves = (long)log.Size.Value;
        var recordBytes = await MeanRecordBytesAsync(log.Live, ct);
        var raw = new List<double>();
        var total = new List<double>();
        var replay = new List<double>();
        var compare = new List<double>();
        var cpu = new List<double>();
        var phases = new List<RebuildPhases>();
        var gcPauses = new List<double>();
        // Targets are deleted only after the last run: on ext4 without a journal (this machine's disk) the inode
        // allocator skips every inode freed in the last minute or more, one by one, so deleting a million-leaf
        // target just before the next run made each of its file creations scan thousands of them (the runs
        // slowed 14 s -> 21 s). A real rebuild into an empty target does not follow such a deletion.
        var targets = new List<DirectoryInfo>();
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                GC.Collect();
                var clock = Stopwatch.StartNew();
                BenchTreeCommand.RawSha256(leaves, recordBytes);
                raw.Add(clock.Elapsed.TotalSeconds);

                var target = Directory.CreateTempSubdirectory("stele-bench-rebuild-target-");
                targets.Add(target);
                GC.Collect();
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var pauseBefore = GC.GetTotalPauseDuration();
                var collectionsBefore = Collections();
                clock.Restart();
                await using var store = new DirectoryObjectStore(target.FullName, DirectoryDurability.Grouped);
                var result = await new LogRebuilder(log.Events, log.Database, log.Live, store, log.Key) { EventsPerCycle = eventsPerCycle }.RunAsync(ct: ct);
                total.Add(clock.Elapsed.TotalSeconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
                gcPauses.Add((GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds);
                var collections = string.Join('/', Collections().Zip(collectionsBefore, (after, before) => after - before));
                if (!result.Comparison.Identical)
                    throw new CliException($"the rebuilt log differs from the live one: {string.Join("; ", result.Comparison.Mismatches.Take(5))}");
                if (result.Size != log.Size) throw new CliException($"the rebuilt log has {result.Size} leaves, the live one {log.Size}");
                replay.Add(result.ReplayTime.TotalSeconds);
                compare.Add(result.ComparisonTime.TotalSeconds);
                phases.Add(result.Phases);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}/{runs}: raw SHA-256 {raw[^1]:F2} s; rebuild {total[^1]:F2} s (replay {replay[^1]:F2} s, compare {compare[^1]:F2} s, {cpu[^1]:F2} CPU s in this process, {result.Comparison.Compared:N0} keys identical) = {leaves / total[^1]:N0} leaves/s; replay: waiting for PostgreSQL {result.Phases.WaitingForReader.TotalSeconds:F2} s, folding {result.Phases.Folding.TotalSeconds:F2} s, publishing {result.Phases.Publishing.TotalSeconds:F2} s; openings streamed {result.Openings.Streamed:N0}, probed {result.Openings.Probed:N0}; GC paused {gcPauses[^1]:F2} s ({collections} gen0/1/2 collections)"));
            }
        }
        finally
        {
            foreach (var target in targets) target.Delete(recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine($"stele rebuild into an empty directory: {leaves:N0} leaves ({entries:N0} entries in batches plus individually signed ones, {erasures} erased, registrations and notices), {eventsPerCycle} events per cycle; medians of {runs} runs");
        Console.WriteLine($"baseline: raw SHA-256 of the same tree ({leaves:N0} leaf inputs of {recordBytes + 1} bytes + {leaves - 1:N0} interior inputs of 65 bytes), same process, same run");
        Console.WriteLine($"{"side",-44} {"seconds",9} {"leaves/s",12} {"vs raw SHA-256",15}");
        Row("raw SHA-256 of the tree (baseline)", raw);
        Row("rebuild: replay (fold + publish)", replay);
        Row("rebuild: comparison with the live store", compare);
        Row("rebuild total (bar: 200,000 leaves/s)", total);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU time of this process during the rebuild (PostgreSQL's own work not included), median: {Median(cpu):F2} s = {Median(cpu) / Median(raw):F2}x the raw SHA-256 loop's time"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC pauses during the rebuild, median: {Median(gcPauses):F2} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay split, medians: waiting for PostgreSQL {Median(phases.Select(p => p.WaitingForReader.TotalSeconds).ToList()):F2} s, folding {Median(phases.Select(p => p.Folding.TotalSeconds).ToList()):F2} s, publishing {Median(phases.Select(p => p.Publishing.TotalSeconds).ToList()):F2} s"));

        void Row(string name, List<double> seconds)
        {
            var median = Median(seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44} {median,9:F2} {leaves / median,12:N0} {Median(raw) / median,15:P1}"));
        }
    }

    /// <summary>The mean leaf-record size of a full bundle past the registrations (what a leaf hash takes in).</summary>
    private static async Task<int> MeanRecordBytesAsync(IObjectStore live, CancellationToken ct)
    {
        var bundle = EntryBundle.Decode(await live.GetBytesAsync(TileId.Entries(1, TileId.FullWidth).Path, ct));
        return (int)Math.Round(bundle.Average(r => r.Length));
    }

    /// <summary>Garbage collections so far, per generation (0, 1, 2).</summary>
    private static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
