using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Stele.Cli.Commands.Digest;
using Stele.Crypto.Blake3;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench hash`: BLAKE3 throughput against the official b3sum (one thread) and .NET
/// SHA-256, all reading the same deterministic file through a memory mapping (as b3sum does),
/// interleaved run by run. Reports wall-clock and CPU-time medians: on a shared machine the
/// second measures the work, the first mostly the scheduler.
/// </summary>
internal static class BenchHashCommand
{
    public static Command Create()
    {
        var sizeMib = new Option<int>("--size-mib") { Description = "Size of the test file in MiB.", DefaultValueFactory = _ => 1024 };
        var runs = new Option<int>("--runs") { Description = "Measured runs per contender (after one warm-up).", DefaultValueFactory = _ => 5 };
        var directory = new Option<DirectoryInfo?>("--dir") { Description = "Where to write the temporary file (default: the system temp directory)." };

        var command = new Command("hash",
            "BLAKE3 (1 thread and all cores) vs `b3sum --num-threads 1` vs .NET SHA-256 over one file; GB/s medians and ratios.");
        command.Options.Add(sizeMib);
        command.Options.Add(runs);
        command.Options.Add(directory);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var size = parse.GetValue(sizeMib);
            var runCount = parse.GetValue(runs);
            if (size < 1) throw new CliException("--size-mib must be at least 1");
            if (runCount < 1) throw new CliException("--runs must be at least 1");
            var b3sum = B3sumTool.Locate();
            var parent = parse.GetValue(directory);
            if (parent is { Exists: false }) throw new CliException($"--dir {parent.FullName}: no such directory");
            var workDir = parent is null
                ? Directory.CreateTempSubdirectory("stele-bench-hash-")
                : parent.CreateSubdirectory($"stele-bench-hash-{Environment.ProcessId}");
            try
            {
                var file = Path.Combine(workDir.FullName, "input.bin");
                Console.Error.WriteLine($"writing {size} MiB to {file} …");
                await DeterministicFile.WriteAsync(file, (long)size << 20, ct);
                await RunAsync(file, (long)size << 20, runCount, b3sum, ct);
            }
            finally
            {
                workDir.Delete(recursive: true);
            }
            return 0;
        });
        return command;
    }

    private enum CpuScope
    {
        Thread,
        Process,
        Children,
    }

    private sealed record Contender(string Name, CpuScope Scope, Func<string, CancellationToken, Task<string>> Digest);

    private sealed record Sample(double WallSeconds, double CpuSeconds);

    private static async Task RunAsync(string file, long bytes, int runs, string b3sum, CancellationToken ct)
    {
        Contender[] contenders =
        [
            new("stele BLAKE3, 1 thread", CpuScope.Thread, (f, c) => Task.FromResult(Blake3OverFile(f, multiThreaded: false, c))),
            new("b3sum --num-threads 1", CpuScope.Children, (f, c) => B3sumTool.DigestAsync(b3sum, ["--num-threads", "1", f], c)),
            new(".NET SHA-256", CpuScope.Thread, (f, c) => Task.FromResult(Sha256OverFile(f, c))),
            new($"stele BLAKE3, {Environment.ProcessorCount} threads", CpuScope.Process, (f, c) => Task.FromResult(Blake3OverFile(f, multiThreaded: true, c))),
        ];
        const int Ours = 0, B3sum = 1, Sha = 2, OursParallel = 3;
        var samples = contenders.Select(_ => new List<Sample>()).ToArray();

        // One warm-up pass: page cache, JIT, and a check that every BLAKE3 contender agrees with b3sum.
        var reference = await contenders[B3sum].Digest(file, ct);
        foreach (var index in new[] { Ours, OursParallel })
        {
            var digest = await contenders[index].Digest(file, ct);
            if (digest != reference) throw new CliException($"{contenders[index].Name} gave {digest}, b3sum gave {reference}");
        }
        await contenders[Sha].Digest(file, ct);

        for (var run = 0; run < runs; run++)
        {
            // Rotate the order each run so no contender always follows the same neighbour.
            for (var k = 0; k < contenders.Length; k++)
            {
                var index = (run + k) % contenders.Length;
                samples[index].Add(await MeasureAsync(contenders[index], file, ct));
            }
            Console.Error.WriteLine($"run {run + 1}/{runs} done");
        }

        var wall = samples.Select(s => bytes / Median(s.Select(x => x.WallSeconds)) / 1e9).ToArray();
        var cpu = samples.Select(s => bytes / Median(s.Select(x => x.CpuSeconds)) / 1e9).ToArray();
        Console.WriteLine($"BLAKE3 over a {bytes >> 20} MiB file (memory-mapped, page cache warm), median of {runs} interleaved runs, "
            + $"{Environment.ProcessorCount} cores, load average {LoadAverage()}:");
        Console.WriteLine();
        Console.WriteLine("| contender | wall GB/s | vs b3sum | vs SHA-256 | CPU-time GB/s | vs b3sum | vs SHA-256 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < contenders.Length; i++)
        {
            Console.WriteLine($"| {contenders[i].Name} | {wall[i]:F2} | {wall[i] / wall[B3sum]:F2} | {wall[i] / wall[Sha]:F2} "
                + $"| {cpu[i]:F2} | {cpu[i] / cpu[B3sum]:F2} | {cpu[i] / cpu[Sha]:F2} |");
        }
    }

    private static async Task<Sample> MeasureAsync(Contender contender, string file, CancellationToken ct)
    {
        double Cpu() => contender.Scope switch
        {
            CpuScope.Thread => CpuTime.ThisThread(),
            CpuScope.Process => CpuTime.ThisProcess(),
            _ => CpuTime.ExitedChildren(),
        };
        // In-process contenders run synchronously, so the thread measured is the one that hashes.
        var cpuBefore = Cpu();
        var clock = Stopwatch.StartNew();
        await contender.Digest(file, ct);
        var wall = clock.Elapsed.TotalSeconds;
        return new Sample(wall, Cpu() - cpuBefore);
    }

    private static string Blake3OverFile(string file, bool multiThreaded, CancellationToken ct)
    {
        using var hasher = new Blake3Hasher { MultiThreaded = multiThreaded };
        MappedFile.ForEachSlice(file, hasher.Update, ct);
        return hasher.Finalize().ToString();
    }

    private static string Sha256OverFile(string file, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        MappedFile.ForEachSlice(file, sha.AppendData, ct);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
