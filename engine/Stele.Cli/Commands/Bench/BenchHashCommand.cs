using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Stele.Cli.Commands.Digest;
using Stele.Crypto.Blake3;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench hash`: BLAKE3 throughput against the official b3sum (one thread) and .NET
/// SHA-256, all reading the same deterministic file, interleaved run by run.
/// </summary>
internal static class BenchHashCommand
{
    private const int ReadSize = 1 << 20;

    public static Command Create()
    {
        var sizeMib = new Option<int>("--size-mib") { Description = "Size of the test file in MiB.", DefaultValueFactory = _ => 1024 };
        var runs = new Option<int>("--runs") { Description = "Measured runs per contender (after one warm-up).", DefaultValueFactory = _ => 5 };
        var directory = new Option<DirectoryInfo?>("--dir") { Description = "Where to write the temporary file (default: the system temp directory)." };

        var command = new Command("hash", "BLAKE3 (1 thread and all cores) vs `b3sum --num-threads 1` vs .NET SHA-256 over one file; GB/s medians.");
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
            var parent = parse.GetValue(directory)?.FullName ?? Path.GetTempPath();
            var workDir = Directory.CreateTempSubdirectory("stele-bench-hash-");
            if (parse.GetValue(directory) is not null)
            {
                workDir.Delete();
                workDir = Directory.CreateDirectory(Path.Combine(parent, $"stele-bench-hash-{Environment.ProcessId}"));
            }
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

    private sealed record Contender(string Name, Func<string, CancellationToken, Task<string>> Digest);

    private static async Task RunAsync(string file, long bytes, int runs, string b3sum, CancellationToken ct)
    {
        Contender[] contenders =
        [
            new("stele BLAKE3, 1 thread", (f, _) => Task.FromResult(Blake3OverFile(f, multiThreaded: false))),
            new("b3sum --num-threads 1", (f, c) => B3sumTool.DigestAsync(b3sum, ["--num-threads", "1", f], c)),
            new(".NET SHA-256", (f, _) => Task.FromResult(Sha256OverFile(f))),
            new($"stele BLAKE3, {Environment.ProcessorCount} threads", (f, _) => Task.FromResult(Blake3OverFile(f, multiThreaded: true))),
        ];
        var seconds = contenders.Select(_ => new List<double>()).ToArray();

        // One warm-up pass: page cache, JIT, and a check that every BLAKE3 contender agrees with b3sum.
        var reference = await contenders[1].Digest(file, ct);
        foreach (var index in new[] { 0, 3 })
        {
            var digest = await contenders[index].Digest(file, ct);
            if (digest != reference) throw new CliException($"{contenders[index].Name} gave {digest}, b3sum gave {reference}");
        }
        await contenders[2].Digest(file, ct);

        for (var run = 0; run < runs; run++)
        {
            // Rotate the order each run so no contender always follows the same neighbour.
            for (var k = 0; k < contenders.Length; k++)
            {
                var index = (run + k) % contenders.Length;
                var clock = Stopwatch.StartNew();
                await contenders[index].Digest(file, ct);
                seconds[index].Add(clock.Elapsed.TotalSeconds);
            }
            Console.Error.WriteLine($"run {run + 1}/{runs} done");
        }

        var medians = seconds.Select(Median).ToArray();
        double Rate(int i) => bytes / medians[i] / 1e9;
        Console.WriteLine($"BLAKE3 over a {bytes >> 20} MiB file, median of {runs} runs ({Environment.ProcessorCount} cores):");
        Console.WriteLine();
        Console.WriteLine("| contender | GB/s (median) | min–max GB/s | vs b3sum 1 thread | vs SHA-256 |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (var i = 0; i < contenders.Length; i++)
        {
            var slowest = bytes / seconds[i].Max() / 1e9;
            var fastest = bytes / seconds[i].Min() / 1e9;
            Console.WriteLine($"| {contenders[i].Name} | {Rate(i):F2} | {slowest:F2}–{fastest:F2} | {Rate(i) / Rate(1):F2} | {Rate(i) / Rate(2):F2} |");
        }
    }

    private static string Blake3OverFile(string file, bool multiThreaded)
    {
        using var hasher = new Blake3Hasher { MultiThreaded = multiThreaded };
        ReadFile(file, span => hasher.Update(span));
        return hasher.Finalize().ToString();
    }

    private static string Sha256OverFile(string file)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ReadFile(file, span => sha.AppendData(span));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private delegate void SpanAction(ReadOnlySpan<byte> span);

    /// <summary>The same read loop for every in-process contender: 1 MiB reads from the page cache.</summary>
    private static void ReadFile(string file, SpanAction consume)
    {
        using SafeFileHandle handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var buffer = GC.AllocateUninitializedArray<byte>(ReadSize, pinned: true);
        long offset = 0;
        while (true)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0) break;
            consume(buffer.AsSpan(0, read));
            offset += read;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
