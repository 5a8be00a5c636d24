using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Npgsql;
using Stele.Broker;
using Stele.Broker.Counters;
using Stele.Cli.Configuration;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Migrations;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench broker`: many simulated registered clients submit at a configured rate through a real
/// broker (pinned receiver/worker/sender threads) into a real event stream; reports offered load,
/// entries/s distilled, loss and batch latency, against a raw-UDP sink (recvmmsg only) fed the same
/// datagrams in the same run. Load generator and broker share this machine's cores.
/// </summary>
internal static class BrokerBenchCommand
{
    public static Command Create()
    {
        var clients = new Option<int>("--clients") { Description = "Simulated registered clients (each signs once per batch).", DefaultValueFactory = _ => 1024 };
        var rate = new Option<double>("--rate") { Description = "Offered load, submissions per second.", DefaultValueFactory = _ => 200_000 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of load per run.", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "Broker batch size (entries).", DefaultValueFactory = _ => 65_536 };
        var runs = new Option<int>("--runs") { Description = "Measured runs (medians reported).", DefaultValueFactory = _ => 3 };
        var sockets = new Option<int>("--sockets") { Description = "Load-generator sockets (source ports), one receiving thread each (8: fewer proofs lost in their receive buffers).", DefaultValueFactory = _ => 8 };
        var command = new Command("broker", "UDP broker throughput: entries/s distilled into the event stream vs a raw recvmmsg sink; offered load, loss, batch latency.");
        foreach (var option in new Option[] { clients, rate, seconds, batch, runs, sockets }) command.Options.Add(option);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var n = parse.GetValue(clients);
            var r = parse.GetValue(rate);
            var s = parse.GetValue(seconds);
            var b = parse.GetValue(batch);
            if (n < 1 || r <= 0 || s <= 0 || b is < 1 or > 65_536 || parse.GetValue(runs) < 1 || parse.GetValue(sockets) < 1)
                throw new CliException("--clients, --rate, --seconds, --runs and --sockets must be positive; --batch 1 to 65,536");
            await RunAsync(SteleSettings.Resolve(parse).Database, n, r, s, b, parse.GetValue(runs), parse.GetValue(sockets), ct);
            return 0;
        });
        return command;
    }

    private sealed record RunResult(double Offered, double Distilled, double Loss, double LatencyMs, double RawPaced, double RawPacedLoss, double RawMax);

    private static async Task RunAsync(string connectionString, int clientCount, double rate, double seconds, int batchSize, int runs, int socketCount, CancellationToken ct)
    {
        var origin = new LogOrigin("bench.stele.local/broker");
        var entries = (int)(rate * seconds);
        Console.Error.WriteLine($"preparing {clientCount:N0} clients (structured BLS keys sk_i = a + i·b) and {entries:N0} submissions …");
        using var clients = new BrokerBenchClients(origin, clientCount);
        var results = new List<RunResult>();
        for (var run = 1; run <= runs; run++)
        {
            var load = new BrokerLoadGenerator(clients.Ids, entries, contentBytes: 16);
            var raw = RawBaseline(load, rate, socketCount);
            var (offered, distilled, loss, latency) = await BrokerRunAsync(connectionString, origin, clients, load, rate, batchSize, socketCount, ct);
            results.Add(new RunResult(offered, distilled, loss, latency, raw.Paced, raw.PacedLoss, raw.Max));
            Console.Error.WriteLine($"run {run}/{runs}: offered {offered,9:N0}/s  distilled {distilled,9:N0}/s  loss {loss,6:P2}  batch latency {latency,7:N0} ms" +
                $"  | raw sink at that rate {raw.Paced,9:N0}/s (loss {raw.PacedLoss:P2}), raw max {raw.Max,9:N0}/s");
        }
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }
        var m = new RunResult(Median(results.Select(x => x.Offered)), Median(results.Select(x => x.Distilled)), Median(results.Select(x => x.Loss)),
            Median(results.Select(x => x.LatencyMs)), Median(results.Select(x => x.RawPaced)), Median(results.Select(x => x.RawPacedLoss)), Median(results.Select(x => x.RawMax)));
        Console.WriteLine();
        Console.WriteLine($"broker, {clientCount:N0} clients, batches of {batchSize:N0}, {entries:N0} submissions per run, {runs} runs, medians");
        Console.WriteLine($"{"measure",-52} {"value",14}");
        Console.WriteLine($"{"offered load (submissions/s)",-52} {m.Offered,14:N0}");
        Console.WriteLine($"{"distilled into the event stream (entries/s)",-52} {m.Distilled,14:N0}");
        Console.WriteLine($"{"loss (offered but not distilled)",-52} {m.Loss,14:P2}");
        Console.WriteLine($"{"batch latency, first entry sent -> committed (ms)",-52} {m.LatencyMs,14:N0}");
        Console.WriteLine($"{"raw UDP sink at the same offered rate (datagrams/s)",-52} {m.RawPaced,14:N0}");
        Console.WriteLine($"{"raw UDP sink loss at that rate",-52} {m.RawPacedLoss,14:P2}");
        Console.WriteLine($"{"raw UDP sink, unpaced sender (datagrams/s)",-52} {m.RawMax,14:N0}");
        Console.WriteLine($"{"distilled / raw at the same rate",-52} {m.Distilled / m.RawPaced,14:P1}");
        Console.WriteLine($"{"distilled / raw unpaced",-52} {m.Distilled / m.RawMax,14:P1}");
    }

    /// <summary>The same datagrams into a recvmmsg-only sink: once paced like the broker run, once as fast as the sender goes.</summary>
    private static (double Paced, double PacedLoss, double Max) RawBaseline(BrokerLoadGenerator load, double rate, int socketCount)
    {
        double Measure(double pace)
        {
            using var sink = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp)
            {
                ReceiveBufferSize = 8 << 20,
                ReceiveTimeout = 100,
            };
            sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var senders = BrokerLoadGenerator.OpenSockets(socketCount, 8 << 20);
            var counter = new BrokerRawSink();
            using var stop = new CancellationTokenSource();
            var thread = new Thread(() => counter.Run(sink, stop.Token)) { IsBackground = true };
            thread.Start();
            var clock = Stopwatch.StartNew();
            load.Send(senders, (IPEndPoint)sink.LocalEndPoint!, pace, CancellationToken.None);
            var sendTime = clock.Elapsed.TotalSeconds;
            Thread.Sleep(300); // let the sink drain
            stop.Cancel();
            thread.Join();
            foreach (var s in senders) s.Dispose();
            return Interlocked.Read(ref counter.Received) / sendTime;
        }
        var paced = Measure(rate);
        var max = Measure(0);
        return (paced, Math.Max(0, 1 - paced / rate), max);
    }

    private static async Task<(double Offered, double Distilled, double Loss, double LatencyMs)> BrokerRunAsync(
        string connectionString, LogOrigin origin, BrokerBenchClients clients, BrokerLoadGenerator load, double rate, int batchSize, int socketCount, CancellationToken ct)
    {
        var name = "stele_bench_broker_" + Guid.NewGuid().ToString("N")[..8];
        var scratch = new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
        await DatabaseBootstrap.EnsureDatabaseExistsAsync(scratch, ct);
        try
        {
            await using var database = NpgsqlDataSource.Create(scratch);
            await MigrationRunner.FromEmbeddedScripts().MigrateAsync(database, null, ct);
            await clients.RegisterAsync(database, ct);
            var events = new PostgresEventStore(database, new EventTypeRegistryBuilder().AddLogEvents().Build());
            var options = new BrokerOptions
            {
                Bind = new IPEndPoint(IPAddress.Loopback, 0),
                BatchSize = batchSize,
                BatchTimeout = TimeSpan.FromMilliseconds(250),
                ShareTimeout = TimeSpan.FromSeconds(2),
                SourceRate = 0, // a handful of load-generator sockets stand for all clients
                ReceiveQueueSlots = 131_072,
                SendQueueSlots = 131_072,
                ReceiverCore = 0,
                WorkerCore = 1,
                SenderCore = 0,
                LeafPoll = TimeSpan.FromHours(1), // no fold runs here: nothing to look up
            };
            var started = Stopwatch.StartNew();
            await using var broker = await BrokerServer.StartAsync(options, origin, database, events, ct);
            Console.Error.WriteLine($"broker up with {broker.Directory.Count:N0} clients (PoPs verified) in {started.Elapsed.TotalSeconds:N1} s");
            var sockets = BrokerLoadGenerator.OpenSockets(socketCount, 8 << 20);
            var receiver = new BrokerBenchReceiver(load, clients, broker.LocalEndPoint);
            using var stop = new CancellationTokenSource();
            var threads = sockets.Select(s => new Thread(() => receiver.Run(s, stop.Token)) { IsBackground = true, Name = "bench-receiver" }).ToArray();
            foreach (var t in threads) t.Start();

            var begin = Stopwatch.GetTimestamp();
            load.Send(sockets, broker.LocalEndPoint, rate, ct);
            var sendSeconds = Stopwatch.GetElapsedTime(begin).TotalSeconds;
            // drain: wait until nothing has been distilled for 3 s
            long last = -1;
            var quiet = Stopwatch.StartNew();
            while (quiet.Elapsed < TimeSpan.FromSeconds(3) && !ct.IsCancellationRequested)
            {
                await Task.Delay(200, ct);
                var now = broker.Counters[BrokerCounter.EntriesDistilled] + broker.Counters[BrokerCounter.EntriesFailed];
                if (now != last) quiet.Restart();
                last = now;
                if (broker.Counters[BrokerCounter.EntriesDistilled] >= load.Entries) break;
            }
            stop.Cancel();
            foreach (var t in threads) t.Join();
            foreach (var s in sockets) s.Dispose();
            var tracks = receiver.Batches.Where(t => t.CommittedAt > 0).ToArray();
            var end = tracks.Length > 0 ? tracks.Max(t => t.CommittedAt) : Stopwatch.GetTimestamp();
            var distilled = broker.Counters[BrokerCounter.EntriesDistilled];
            var window = (end - begin) / (double)Stopwatch.Frequency;
            var latencies = tracks.Where(t => t.FirstSent != long.MaxValue).Select(t => (t.CommittedAt - t.FirstSent) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
            var counters = string.Join(" ", BrokerCounters.Describe(broker.Counters.Snapshot()).Select(c => $"{c.Name}={c.Value}"));
            Console.Error.WriteLine($"  counters: {counters}");
            return (load.Entries / sendSeconds, distilled / window, 1 - distilled / (double)load.Entries, latencies.Length > 0 ? latencies[latencies.Length / 2] : double.NaN);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(maintenance);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseBootstrap.QuoteIdentifier(name)} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
