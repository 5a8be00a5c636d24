using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Stele.Broker;
using Stele.Broker.Counters;
using Stele.Broker.Protocol;
using Stele.Cli.Configuration;
using Stele.Cli.Hosting;
using Stele.Domain.Identity;

namespace Stele.Cli.Commands;

/// <summary>`stele broker serve|stats`: the UDP broker (docs/broker.md) and its counters.</summary>
internal static class BrokerCommand
{
    public const string DefaultBind = "127.0.0.1:7300";

    public static Command Create()
    {
        var broker = new Command("broker", "Run the UDP broker that batches and distils small submissions, or read its counters.");
        broker.Subcommands.Add(Serve());
        broker.Subcommands.Add(Stats());
        return broker;
    }

    private static Command Serve()
    {
        var origin = new Option<string>("--origin") { Description = "The log's origin (checkpoint first line); every signature covers it.", Required = true };
        var bind = new Option<string>("--bind") { Description = $"UDP address to listen on, IPv4:PORT or [IPv6]:PORT ([::] is dual-stack: IPv4 peers too), default {DefaultBind}.", DefaultValueFactory = _ => DefaultBind };
        var name = new Option<string>("--name") { Description = "This broker's name in BatchDistilled events.", DefaultValueFactory = _ => "broker-1" };
        var batchSize = new Option<int>("--batch-size") { Description = "Entries per batch at most (1 to 65,536).", DefaultValueFactory = _ => 65_536 };
        var batchTimeout = new Option<int>("--batch-timeout-ms") { Description = "Close a batch this long after its first entry.", DefaultValueFactory = _ => 500 };
        var shareTimeout = new Option<int>("--share-timeout-ms") { Description = "Wait this long for BLS shares before distilling.", DefaultValueFactory = _ => 500 };
        var inFlight = new Option<int>("--max-in-flight") { Description = "Batches proposed/distilling/writing at once; beyond it submissions are shed.", DefaultValueFactory = _ => 4 };
        var rate = new Option<double>("--source-rate") { Description = "Datagrams per second per source address (0 = unlimited).", DefaultValueFactory = _ => 5_000 };
        var burst = new Option<int>("--source-burst") { Description = "Burst of the per-source token bucket.", DefaultValueFactory = _ => 64 };
        var rcvbuf = new Option<int>("--rcvbuf") { Description = "Socket receive buffer, bytes (capped by net.core.rmem_max).", DefaultValueFactory = _ => 8 << 20 };
        var sndbuf = new Option<int>("--sndbuf") { Description = "Socket send buffer, bytes (capped by net.core.wmem_max).", DefaultValueFactory = _ => 8 << 20 };
        var receiverCore = new Option<int?>("--receiver-core") { Description = "Core to pin the receiver thread to (default: unpinned)." };
        var workerCore = new Option<int?>("--worker-core") { Description = "Core to pin the worker thread to (default: unpinned)." };
        var senderCore = new Option<int?>("--sender-core") { Description = "Core to pin the sender thread to (default: unpinned)." };
        var proposerCore = new Option<int?>("--proposer-core") { Description = "Core to pin the proposer thread (batch close: sort, tree, proofs) to (default: unpinned)." };
        var statsInterval = new Option<int>("--stats-interval") { Description = "Print the counters every N seconds (0 = only at exit).", DefaultValueFactory = _ => 10 };
        var command = new Command("serve", "Receive submissions and shares over UDP, distil batches into the event stream, until stopped (Ctrl-C).");
        foreach (var option in new Option[] { origin, bind, name, batchSize, batchTimeout, shareTimeout, inFlight, rate, burst, rcvbuf, sndbuf, receiverCore, workerCore, senderCore, proposerCore, statsInterval })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var options = new BrokerOptions
            {
                Name = parse.GetValue(name)!,
                Bind = ParseEndPoint(parse.GetValue(bind)!, "--bind"),
                BatchSize = parse.GetValue(batchSize),
                BatchTimeout = TimeSpan.FromMilliseconds(parse.GetValue(batchTimeout)),
                ShareTimeout = TimeSpan.FromMilliseconds(parse.GetValue(shareTimeout)),
                MaxBatchesInFlight = parse.GetValue(inFlight),
                SourceRate = parse.GetValue(rate),
                SourceBurst = parse.GetValue(burst),
                ReceiveBufferBytes = parse.GetValue(rcvbuf),
                SendBufferBytes = parse.GetValue(sndbuf),
                ReceiverCore = parse.GetValue(receiverCore),
                WorkerCore = parse.GetValue(workerCore),
                SenderCore = parse.GetValue(senderCore),
                ProposerCore = parse.GetValue(proposerCore),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliException($"invalid broker option: {ex.Message}");
            }
            LogOrigin logOrigin;
            try
            {
                logOrigin = new LogOrigin(parse.GetValue(origin)!);
            }
            catch (ArgumentException ex)
            {
                throw new CliException($"invalid --origin: {ex.Message}");
            }
            var settings = SteleSettings.Resolve(parse);
            await using var database = SteleServices.OpenDatabase(settings);
            var events = SteleServices.OpenEventStore(database);
            await events.GetInfoAsync(ct); // fail fast, with one clear line, if the schema is missing
            BrokerServer server;
            try
            {
                server = await BrokerServer.StartAsync(options, logOrigin, database, events, ct);
            }
            catch (SocketException ex)
            {
                throw new CliException($"cannot listen on udp://{options.Bind}: {ex.Message}");
            }
            await using (server)
            {
                Console.Error.WriteLine($"broker: listening on udp://{server.LocalEndPoint}, {server.Directory.Count} registered client(s), origin {logOrigin}");
                var every = parse.GetValue(statsInterval);
                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        await Task.Delay(every > 0 ? TimeSpan.FromSeconds(every) : Timeout.InfiniteTimeSpan, ct);
                        PrintCounters(server.Counters.Snapshot());
                    }
                }
                catch (OperationCanceledException)
                {
                }
                PrintCounters(server.Counters.Snapshot());
            }
            return 0;
        });
        return command;
    }

    private static Command Stats()
    {
        var broker = new Option<string>("--broker") { Description = $"The broker's UDP address, default {DefaultBind} (it answers loopback requesters only).", DefaultValueFactory = _ => DefaultBind };
        var command = new Command("stats", "Ask a running broker for its counters (a STATS datagram) and print them.");
        command.Options.Add(broker);
        command.SetAction(async (parse, ct) =>
        {
            var endPoint = ParseEndPoint(parse.GetValue(broker)!, "--broker");
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(endPoint);
            var request = new byte[WireFormat.HeaderLength];
            StatsMessage.EncodeRequest(request);
            var reply = new byte[WireFormat.MaxDatagram];
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await socket.SendAsync(request, ct);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    var length = await socket.ReceiveAsync(reply, timeout.Token);
                    if (StatsMessage.TryDecode(reply.AsSpan(0, length), out var counters) != DecodeError.None) continue;
                    var values = new long[BrokerCounters.Slots];
                    foreach (var (id, value) in counters) if (id < values.Length) values[id] = (long)value;
                    PrintCounters(values);
                    return 0;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }
                catch (SocketException)
                {
                    break; // port unreachable: nothing listens there
                }
            }
            throw new CliException($"no answer from a broker at udp://{endPoint} (is it running, and are you on the same host?)");
        });
        return command;
    }

    private static void PrintCounters(IReadOnlyList<long> values)
    {
        var lines = BrokerCounters.Describe(values).Select(c => $"{c.Name} {c.Value}").ToList();
        Console.WriteLine(lines.Count == 0 ? "(all counters are zero)" : string.Join(Environment.NewLine, lines));
        Console.WriteLine();
    }

    private static IPEndPoint ParseEndPoint(string text, string option) =>
        IPEndPoint.TryParse(text, out var endPoint) && endPoint.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && endPoint.Port > 0
            ? endPoint
            : throw new CliException($"invalid {option} '{text}': expected IPv4:PORT or [IPv6]:PORT, e.g. {DefaultBind} or [::]:7300");
}
