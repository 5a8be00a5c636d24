using System.Diagnostics;
using Stele.Cli.Commands.Digest;
using Stele.Client;
using Stele.Domain.Content;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// The large-entry case of `stele bench log`: a generated file of SIZE bytes is submitted through a
/// real `stele serve` child process (client hash pass, streamed upload, server-side commitment check,
/// blob into directory storage, fold, published checkpoint, verified inclusion proof), and timed
/// against `b3sum` of the same file and a raw copy of it into the same storage, in the same run.
/// The server's peak resident memory is read from /proc/PID/status (VmHWM).
/// </summary>
internal static class LogBenchLargeEntry
{
    /// <param name="Hashed">When the client finished its hash pass (the upload started), within <paramref name="Submit"/>.</param>
    /// <param name="Uploaded">When the server had taken the last byte (the rest is commit, fold, publication, proof).</param>
    public sealed record Result(long Size, TimeSpan Submit, TimeSpan Hashed, TimeSpan Uploaded, TimeSpan B3sum, TimeSpan Copy, long ServerPeakBytes, ulong LeafIndex);

    public static async Task<Result?> RunAsync(string adminConnection, long size, CancellationToken ct)
    {
        var b3sum = B3sumTool.Locate();
        var work = Directory.CreateTempSubdirectory("stele-bench-large-");
        try
        {
            var free = new DriveInfo(work.FullName).AvailableFreeSpace;
            if (free < 3 * size + (1L << 30))
            {
                Console.Error.WriteLine($"large entry: skipped, {free >> 30} GiB free where the file, its copy and its blob need {3 * size >> 30} GiB");
                return null;
            }
            var file = Path.Combine(work.FullName, "entry.bin");
            Console.Error.WriteLine($"large entry: writing {size:N0} bytes to {file} …");
            await DeterministicFile.WriteAsync(file, size, ct);

            var clock = Stopwatch.StartNew();
            await B3sumTool.DigestAsync(b3sum, [file], ct);
            var hashed = clock.Elapsed;

            await using var server = await LogBenchServer.StartAsync(adminConnection, ct);
            var copy = Path.Combine(server.Storage, "raw-copy.bin");
            clock.Restart();
            await CopyAsync(file, copy, ct);
            var copied = clock.Elapsed;
            File.Delete(copy);

            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            using var client = await SteleClient.ConnectAsync(server.Address, null, http, ct);
            using var keys = ClientKeys.Generate();
            await client.RegisterAsync(keys, LogBenchServer.OperatorToken, ct);
            if (!await client.WaitForRegistrationAsync(keys.Client, TimeSpan.FromMinutes(2), ct)) throw new CliException("the large-entry client was not admitted within 2 minutes");

            Console.Error.WriteLine("large entry: submitting (hash, upload, publish, verified proof) …");
            clock.Restart();
            var phases = new PhaseClock(clock, size);
            var result = await client.SubmitFileAsync(keys, file, MediaType.OctetStream, new SubmitOptions(WaitForInclusion: TimeSpan.FromHours(1), Progress: phases), ct);
            var submitted = clock.Elapsed;
            var included = result.Included ?? throw new CliException($"the large entry was not included: {result.Status.State} {result.Status.Reason}");
            return new Result(size, submitted, phases.Hashed, phases.Uploaded, hashed, copied, server.PeakResidentBytes(), included.LeafIndex.Value);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Notes when the hash pass ended and when the upload had been read to its end.</summary>
    private sealed class PhaseClock(Stopwatch clock, long size) : IProgress<SubmitProgress>
    {
        public TimeSpan Hashed { get; private set; }

        public TimeSpan Uploaded { get; private set; }

        public void Report(SubmitProgress value)
        {
            if (value.Phase == SubmitPhase.Hashing && value.BytesDone == (ulong)size) Hashed = clock.Elapsed;
            if (value.Phase == SubmitPhase.Uploading && value.BytesDone == (ulong)size) Uploaded = clock.Elapsed;
        }
    }

    // The raw floor: `dd` reads the file and writes it into the storage directory, flushed to disk as the blob is.
    private static async Task CopyAsync(string from, string to, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dd") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { $"if={from}", $"of={to}", "bs=1M", "conv=fsync" }) start.ArgumentList.Add(argument);
        using var dd = Process.Start(start) ?? throw new CliException("cannot start dd");
        var error = dd.StandardError.ReadToEndAsync(ct);
        await dd.WaitForExitAsync(ct);
        if (dd.ExitCode != 0) throw new CliException($"dd failed: {(await error).Trim()}");
    }
}
