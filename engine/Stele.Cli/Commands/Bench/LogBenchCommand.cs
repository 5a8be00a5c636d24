using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Stele.Cli.Configuration;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Domain.Signing;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench log`: the whole board over HTTP on loopback — the same API, publisher and directory
/// storage `stele serve` runs, in this process, with the load generator in this process too (HttpClient,
/// one connection per client). Individually signed entries are signed before the timed window.
/// </summary>
internal static class LogBenchCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Length of the sustained HTTP window.", DefaultValueFactory = _ => 60 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients (each posts its entries in sequence order).", DefaultValueFactory = _ => 32 };
        var batch = new Option<int>("--batch") { Description = "Entries per batch in the batched phase (signed before the window).", DefaultValueFactory = _ => 1000 };
        var autoPrepare = new Option<int>("--auto-prepare") { Description = "Npgsql Max Auto Prepare for the in-process board (0 = as `stele serve`); to measure prepared statements.", DefaultValueFactory = _ => 0 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of posting before the measured window (not counted).", DefaultValueFactory = _ => 10 };
        var largeGib = new Option<double>("--large-entry-gib") { Description = "Size of the large entry submitted through a separate `stele serve` (0 skips it).", DefaultValueFactory = _ => 4 };
        var latencySamples = new Option<int>("--latency-samples") { Description = "Entries posted one by one with ?wait for the latency figures.", DefaultValueFactory = _ => 200 };
        var command = new Command("log", "Signed entries/s over HTTP, batched entries/s, submit-to-published-checkpoint latency (directory storage).");
        command.Options.Add(seconds);
        command.Options.Add(clients);
        command.Options.Add(warmup);
        command.Options.Add(batch);
        command.Options.Add(autoPrepare);
        command.Options.Add(latencySamples);
        command.Options.Add(largeGib);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var window = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var n = parse.GetValue(clients);
            var warm = TimeSpan.FromSeconds(parse.GetValue(warmup));
            if (window <= TimeSpan.Zero || n < 1 || warm < TimeSpan.Zero) throw new CliException("--seconds and --clients must be positive, --warmup at least 0");
            var large = (long)(parse.GetValue(largeGib) * (1L << 30));
            if (large < 0) throw new CliException("--large-entry-gib must be 0 or more");
            var batchSize = parse.GetValue(batch);
            if (batchSize < 1 || batchSize > Domain.Batches.BatchTree.MaxEntries) throw new CliException($"--batch must be 1 to {Domain.Batches.BatchTree.MaxEntries}");
            var database = SteleSettings.Resolve(parse).Database;
            await using (var board = await LogBenchBoard.StartAsync(database, parse.GetValue(autoPrepare), ct))
                await RunAsync(board, window, warm, n, batchSize, parse.GetValue(latencySamples), ct);
            if (large > 0) Report(await LogBenchLargeEntry.RunAsync(database, large, ct));
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(LogBenchBoard board, TimeSpan window, TimeSpan warmup, int clientCount, int batchSize, int samples, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clientCount + 4 }) { Timeout = TimeSpan.FromMinutes(2) };
        using var client = new SteleClient(board.Address, board.Key.Origin, board.Key.Verifier, http);
        var keys = (await Task.WhenAll(Enumerable.Range(0, clientCount).Select(_ => board.RegisterAsync(client, ct)))).ToList();
        var cpu = await board.CpuMeterAsync(ct);

        // 1. Sustained individually signed entries: requests are built and signed before the clock starts;
        //    a warm-up (JIT tiering, pools, caches) runs first and is not counted.
        var perClient = (int)Math.Min(200_000, Math.Max(1000, 12_000 * (window + warmup).TotalSeconds / clientCount));
        Console.Error.WriteLine($"signing {perClient * clientCount:N0} entries…");
        var signed = keys.Select(k => Enumerable.Range(0, perClient).Select(i => Sign(k, board.Key.Origin, i)).ToArray()).ToArray();
        Console.Error.WriteLine($"posting for {warmup.TotalSeconds:N0} s of warm-up, then {window.TotalSeconds:N0} s measured, with {clientCount} clients…");
        var accepted = 0L;
        var clock = Stopwatch.StartNew();
        var measured = MeasureAsync(warmup, window, cpu, () => Interlocked.Read(ref accepted), ct);
        await Task.WhenAll(signed.Select(entries => Task.Run(async () =>
        {
            foreach (var entry in entries)
            {
                if (clock.Elapsed >= warmup + window) return;
                using var response = await http.SendAsync(entry.ToRequest(board.Address), ct);
                if ((int)response.StatusCode != 202) throw new CliException($"entry refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                Interlocked.Increment(ref accepted);
            }
        }, ct)));
        var (counted, elapsed, signedCpu) = await measured;
        var httpRate = counted / elapsed.TotalSeconds;
        var publishedAfter = await board.WaitPublishedAsync(clientCount + accepted, ct);
        Console.Error.WriteLine($"accepted {counted:N0} in the {elapsed.TotalSeconds:N1} s window ({accepted:N0} in all); all published {publishedAfter.TotalSeconds:N1} s after posting stopped");

        // Baseline in the same run: one-row INSERT transactions/s from as many connections (what one request costs at least).
        var commitRate = await board.CommitBaselineAsync(clientCount, TimeSpan.FromSeconds(Math.Min(10, window.TotalSeconds)), ct);

        // 2. Batched: one client per concurrent poster, each batch built and signed before the clock starts.
        var batchWindow = TimeSpan.FromSeconds(Math.Min(20, window.TotalSeconds));
        var posters = Math.Min(4, clientCount);
        var perPoster = (int)Math.Max(2, 40_000 * batchWindow.TotalSeconds / batchSize / posters);
        Console.Error.WriteLine($"signing {perPoster * posters:N0} batches of {batchSize:N0}…");
        var batches = keys.Take(posters).Select(k => Enumerable.Range(0, perPoster).Select(_ => LogBenchBatch.Sign(k, board.Key.Origin, batchSize)).ToArray()).ToArray();
        var batchCpu = cpu.Take();
        var batchClock = Stopwatch.StartNew();
        var batched = 0L;
        await Task.WhenAll(batches.Select(mine => Task.Run(async () =>
        {
            foreach (var batch in mine)
            {
                if (batchClock.Elapsed >= batchWindow) return;
                using var response = await http.SendAsync(batch.ToRequest(board.Address), ct);
                if ((int)response.StatusCode != 202) throw new CliException($"batch refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                Interlocked.Add(ref batched, batch.Count);
            }
        }, ct)));
        var batchRate = batched / batchClock.Elapsed.TotalSeconds;
        batchCpu = cpu.Take() - batchCpu;
        await board.WaitPublishedAsync(clientCount + accepted + batched, ct);

        // 3. Latency: one entry at a time, from the POST to the 201 that says it is under a published checkpoint.
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var entry = Sign(keys[0], board.Key.Origin, perClient + i);
            var start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(entry.ToRequest(board.Address, "?wait=10"), ct);
            if ((int)response.StatusCode != 201) throw new CliException($"entry not included within 10 s: {(int)response.StatusCode}");
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        latencies.Sort();

        Console.WriteLine();
        Console.WriteLine($"stele bench log: loopback HTTP, in-process server + publisher (publish interval {LogBenchBoard.PublishInterval.TotalMilliseconds} ms), directory storage, PostgreSQL as given; load generator in-process");
        Console.WriteLine($"baseline: one-row INSERT commits from {clientCount} connections:      {commitRate,10:N0} commits/s");
        Console.WriteLine($"individually signed entries over HTTP ({clientCount} clients, {elapsed.TotalSeconds:N0} s): {httpRate,10:N0} entries/s (bar 5,000; {httpRate / commitRate:N2}x baseline)");
        Console.WriteLine($"    {signedCpu.PerEntry(accepted)}");
        Console.WriteLine($"batched entries over HTTP ({batchSize:N0} per batch, {posters} posters):      {batchRate,10:N0} entries/s (bar 50,000)");
        Console.WriteLine($"    {batchCpu.PerEntry(batched)}");
        Console.WriteLine($"submit to published checkpoint, {samples} sequential entries: p50 {Percentile(latencies, 0.50):N1} ms, p99 {Percentile(latencies, 0.99):N1} ms (bars 150 / 500)");
        foreach (var k in keys) k.Dispose();
    }

    private static void Report(LogBenchLargeEntry.Result? large)
    {
        if (large is null) return;
        var floor = large.B3sum + large.Copy;
        Console.WriteLine($"large entry ({large.Size / (double)(1L << 30):N2} GiB, separate `stele serve`, directory storage): submit to verified inclusion {large.Submit.TotalSeconds:N1} s " +
            $"({large.Size / large.Submit.TotalSeconds / 1e6:N0} MB/s; leaf {large.LeafIndex})");
        Console.WriteLine($"    client hash pass {large.Hashed.TotalSeconds:N1} s, upload (server hashes and writes the blob) {(large.Uploaded - large.Hashed).TotalSeconds:N1} s, " +
            $"commit + fold + publish + proof {(large.Submit - large.Uploaded).TotalSeconds:N1} s");
        Console.WriteLine($"    same file, same run: b3sum {large.B3sum.TotalSeconds:N1} s + dd copy into the storage {large.Copy.TotalSeconds:N1} s = {floor.TotalSeconds:N1} s; submit / (b3sum + copy) = {large.Submit / floor:N2}x");
        Console.WriteLine($"    server peak resident memory (VmHWM): {large.ServerPeakBytes / (double)(1 << 20):N0} MiB (bar 256 MiB)");
    }

    /// <summary>Counts what completes between <paramref name="warmup"/> and warmup + window, with the CPU used meanwhile.</summary>
    private static async Task<(long Count, TimeSpan Elapsed, LogBenchCpu.Sample Cpu)> MeasureAsync(
        TimeSpan warmup, TimeSpan window, LogBenchCpu cpu, Func<long> count, CancellationToken ct)
    {
        await Task.Delay(warmup, ct);
        var (startCount, startCpu, clock) = (count(), cpu.Take(), Stopwatch.StartNew());
        await Task.Delay(window, ct);
        return (count() - startCount, clock.Elapsed, cpu.Take() - startCpu);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static PresignedEntry Sign(ClientKeys keys, Stele.Domain.Identity.LogOrigin origin, int index)
    {
        var content = new byte[40];
        BitConverter.TryWriteBytes(content, index);
        Random.Shared.NextBytes(content.AsSpan(4));
        var salt = Salt.NewRandom();
        var descriptor = new EntryDescriptor(keys.Client, keys.Sequences.Reserve(), Commitment.Compute(salt, content), (ulong)content.Length, MediaType.OctetStream);
        var signature = keys.SignEd25519(SigningMessages.Entry(origin, descriptor));
        return new PresignedEntry(descriptor, Convert.ToHexStringLower(salt.AsSpan()), signature.ToString(), content);
    }

    private sealed record PresignedEntry(EntryDescriptor Descriptor, string Salt, string Signature, byte[] Content)
    {
        public HttpRequestMessage ToRequest(Uri server, string query = "")
        {
            var body = new ByteArrayContent(Content);
            body.Headers.TryAddWithoutValidation("Content-Type", Descriptor.MediaType.Value);
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "v1/entries" + query)) { Content = body };
            request.Headers.TryAddWithoutValidation("Stele-Client", Descriptor.Client.ToString());
            request.Headers.TryAddWithoutValidation("Stele-Sequence", Descriptor.Sequence.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("Stele-Commitment", Descriptor.Commitment.ToString());
            request.Headers.TryAddWithoutValidation("Stele-Salt", Salt);
            request.Headers.TryAddWithoutValidation("Stele-Signature", Signature);
            return request;
        }
    }
}
