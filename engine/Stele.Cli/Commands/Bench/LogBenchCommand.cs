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
        var latencySamples = new Option<int>("--latency-samples") { Description = "Entries posted one by one with ?wait for the latency figures.", DefaultValueFactory = _ => 200 };
        var command = new Command("log", "Signed entries/s over HTTP, batched entries/s, submit-to-published-checkpoint latency (directory storage).");
        command.Options.Add(seconds);
        command.Options.Add(clients);
        command.Options.Add(latencySamples);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var window = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var n = parse.GetValue(clients);
            if (window <= TimeSpan.Zero || n < 1) throw new CliException("--seconds and --clients must be positive");
            await using var board = await LogBenchBoard.StartAsync(SteleSettings.Resolve(parse).Database, ct);
            await RunAsync(board, window, n, parse.GetValue(latencySamples), ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(LogBenchBoard board, TimeSpan window, int clientCount, int samples, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clientCount + 4 }) { Timeout = TimeSpan.FromMinutes(2) };
        using var client = new SteleClient(board.Address, board.Key.Origin, board.Key.Verifier, http);
        var keys = new List<ClientKeys>();
        for (var i = 0; i < clientCount; i++) keys.Add(await board.RegisterAsync(client, ct));

        // 1. Sustained individually signed entries: requests are built and signed before the clock starts.
        var perClient = (int)Math.Min(200_000, Math.Max(1000, 12_000 * window.TotalSeconds / clientCount));
        Console.Error.WriteLine($"signing {perClient * clientCount:N0} entries…");
        var signed = keys.Select(k => Enumerable.Range(0, perClient).Select(i => Sign(k, board.Key.Origin, i)).ToArray()).ToArray();
        Console.Error.WriteLine($"posting for {window.TotalSeconds:N0} s with {clientCount} clients…");
        var accepted = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(signed.Select(entries => Task.Run(async () =>
        {
            foreach (var entry in entries)
            {
                if (clock.Elapsed >= window) return;
                using var response = await http.SendAsync(entry.ToRequest(board.Address), ct);
                if ((int)response.StatusCode != 202) throw new CliException($"entry refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                Interlocked.Increment(ref accepted);
            }
        }, ct)));
        var elapsed = clock.Elapsed;
        var httpRate = accepted / elapsed.TotalSeconds;
        var publishedAfter = await board.WaitPublishedAsync(clientCount + accepted, ct);
        Console.Error.WriteLine($"accepted {accepted:N0} in {elapsed.TotalSeconds:N1} s; all published {publishedAfter.TotalSeconds:N1} s after the window closed");

        // Baseline in the same run: one-row INSERT transactions/s from as many connections (what one request costs at least).
        var commitRate = await board.CommitBaselineAsync(clientCount, TimeSpan.FromSeconds(Math.Min(10, window.TotalSeconds)), ct);

        // 2. Batched: 1,000 entries per request, one client per concurrent poster (commitments and the batch signature are computed in the window).
        var batchClock = Stopwatch.StartNew();
        var batched = 0L;
        await Task.WhenAll(keys.Take(Math.Min(4, clientCount)).Select(k => Task.Run(async () =>
        {
            var items = Enumerable.Range(0, 1000).Select(i => new BatchItem(BitConverter.GetBytes((long)i * 7919), MediaType.OctetStream)).ToArray();
            while (batchClock.Elapsed < TimeSpan.FromSeconds(Math.Min(20, window.TotalSeconds)))
            {
                await client.SubmitBatchAsync(k, items, cancellationToken: ct);
                Interlocked.Add(ref batched, items.Length);
            }
        }, ct)));
        var batchRate = batched / batchClock.Elapsed.TotalSeconds;
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
        Console.WriteLine($"batched entries over HTTP (1,000 per batch, {Math.Min(4, clientCount)} posters):       {batchRate,10:N0} entries/s (bar 50,000)");
        Console.WriteLine($"submit to published checkpoint, {samples} sequential entries: p50 {Percentile(latencies, 0.50):N1} ms, p99 {Percentile(latencies, 0.99):N1} ms (bars 150 / 500)");
        foreach (var k in keys) k.Dispose();
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
