using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Stele.Reader;
using Stele.Reader.Sources;
using Stele.Tlog;
using Stele.Tlog.Tiles;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench verify`: `stele verify` throughput over a directory log of batched entries (one Ed25519
/// signature per batch) and one of individually signed entries, against the raw SHA-256 cost of hashing the
/// same records into an RFC 6962 tree on one core, measured in the same run. Logs are written before the clock starts.
/// </summary>
internal static class VerifyBenchCommand
{
    public static Command Create()
    {
        var entries = new Option<int>("--entries") { Description = "Entries in the batched log.", DefaultValueFactory = _ => 1_000_000 };
        var single = new Option<int>("--single-entries") { Description = "Entries in the individually signed log (0 skips it).", DefaultValueFactory = _ => 1_000_000 };
        var batch = new Option<int>("--batch") { Description = "Entries per batch in the batched log.", DefaultValueFactory = _ => 1000 };
        var runs = new Option<int>("--runs") { Description = "Measured runs of each log.", DefaultValueFactory = _ => 3 };
        var command = new Command("verify", "`stele verify` entries/s on a batched and an individually signed log vs raw SHA-256 tree hashing; medians and ratios.");
        command.Options.Add(entries);
        command.Options.Add(single);
        command.Options.Add(batch);
        command.Options.Add(runs);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var (n, s, b, r) = (parse.GetValue(entries), parse.GetValue(single), parse.GetValue(batch), parse.GetValue(runs));
            if (n < 1000) throw new CliException("--entries must be at least 1000");
            if (s < 0) throw new CliException("--single-entries must be 0 or more");
            if (b < 2 || b > Domain.Batches.BatchTree.MaxEntries) throw new CliException($"--batch must be 2 to {Domain.Batches.BatchTree.MaxEntries}");
            if (r < 1) throw new CliException("--runs must be at least 1");
            Console.WriteLine($"stele verify of a directory log, {r} runs each, medians; baseline = RFC 6962 leaf+node SHA-256 of the same records, one thread, same run");
            Console.WriteLine("CPU = process CPU seconds (all threads) while verifying; on a busy machine wall time is inflated, CPU time much less");
            Console.WriteLine($"{"log",-40} {"entries",10} {"wall s",7} {"entries/s",10} {"CPU s",7} {"entries/CPU-s",14} {"raw/verify wall",16} {"raw/verify CPU",15}");
            await MeasureAsync($"batched ({b}/batch, one signature each)", n, b, r, ct);
            if (s > 0) await MeasureAsync("individually signed (Ed25519 each)", s, 1, r, ct);
            return 0;
        });
        return command;
    }

    private static async Task MeasureAsync(string name, int entries, int batchSize, int runs, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("stele-bench-verify-");
        try
        {
            using var log = new VerifyBenchLog();
            Console.Error.WriteLine($"writing {name} log of {entries:N0} entries to {directory.FullName} …");
            var leaves = log.Write(directory.FullName, entries, batchSize);
            var records = ReadRecords(directory.FullName, leaves);
            var verify = new List<double>();
            var verifyCpu = new List<double>();
            var raw = new List<double>();
            var rawWall = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                GC.Collect();
                var (rawSeconds, rawCpu) = RawTreeHashing(records);
                rawWall.Add(rawSeconds);
                raw.Add(rawCpu);
                GC.Collect();
                var clock = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                await using (var source = new DirectoryLogSource(directory.FullName))
                {
                    var verified = await LogReader.VerifyAsync(source, log.Verifier, cancellationToken: ct);
                    if (verified.Size.Value != leaves) throw new InvalidOperationException($"verified {verified.Size} leaves, expected {leaves}");
                }
                verify.Add(clock.Elapsed.TotalSeconds);
                verifyCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                Console.Error.WriteLine($"run {run}/{runs}: verify {verify[^1]:F2} s wall, {verifyCpu[^1]:F2} s CPU ({entries / verify[^1]:N0} entries/s); raw SHA-256 {rawWall[^1]:F2} s wall, {raw[^1]:F2} s CPU");
            }
            var (wall, cpuTime) = (Median(verify), Median(verifyCpu));
            var wallRatio = Median(rawWall.Zip(verify, (r, v) => r / v).ToList());
            var cpuRatio = Median(raw.Zip(verifyCpu, (r, v) => r / v).ToList());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-40} {entries,10:N0} {wall,7:F2} {entries / wall,10:N0} {cpuTime,7:F2} {entries / cpuTime,14:N0} {wallRatio,16:P1} {cpuRatio,15:P1}"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static List<byte[]> ReadRecords(string directory, ulong leaves)
    {
        var records = new List<byte[]>((int)leaves);
        for (ulong tile = 0; tile * TileId.FullWidth < leaves; tile++)
        {
            var width = (int)Math.Min(TileId.FullWidth, leaves - tile * TileId.FullWidth);
            records.AddRange(EntryBundle.Decode(File.ReadAllBytes(Path.Combine(directory, TileId.Entries(tile, width).Path))));
        }
        return records;
    }

    /// <summary>The hashing a verifier cannot avoid: every leaf hash and the N-1 interior nodes, on one core (wall and CPU seconds).</summary>
    private static (double Wall, double Cpu) RawTreeHashing(List<byte[]> records)
    {
        var wall = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var hash = default(Hash);
        foreach (var record in records) hash = Rfc6962.HashLeaf(record);
        for (var i = 1; i < records.Count; i++) hash = Rfc6962.HashChildren(hash, hash);
        GC.KeepAlive(hash);
        return (wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
