using System.Net;
using System.Net.Sockets;
using Stele.Broker.Counters;
using Stele.Broker.Protocol;
using Stele.Broker.Tests.Support;

namespace Stele.Broker.Tests;

/// <summary>The broker over IPv6 (::1) and dual-stack ([::] serving IPv4 and IPv6 peers at once), real UDP and PostgreSQL.</summary>
public sealed class Ipv6Tests
{
    private static BrokerOptions Options(IPAddress bind) =>
        LoopbackOptions.Create(8, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5)) with { Bind = new IPEndPoint(bind, 0) };

    [Fact]
    public async Task A_client_on_ipv6_loopback_gets_its_entries_into_the_log_and_stats_answer_it()
    {
        await using var board = await Board.CreateAsync("test.example/broker-ipv6");
        using var alice = new Identity();
        await board.RegisterAsync(alice);
        await using var broker = await BrokerServer.StartAsync(Options(IPAddress.IPv6Loopback), board.Key.Origin, board.Database.DataSource, board.Events);
        Assert.Equal(AddressFamily.InterNetworkV6, broker.LocalEndPoint.AddressFamily);

        await using var client = new BrokerClient(board.Key.Origin, alice.Ed, alice.Bls, broker.LocalEndPoint);
        await AllInLogAsync(board, broker, [.. Enumerable.Range(1, 3).Select(s => client.SubmitAsync((ulong)s, [(byte)s, 1, 2], "text/plain"))]);
        Assert.Equal(0, broker.Counters[BrokerCounter.DroppedPeerForgotten]);

        // ::1 is loopback: the operator's STATS request is answered
        using var operatorSocket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        operatorSocket.Connect(broker.LocalEndPoint);
        var request = new byte[WireFormat.HeaderLength];
        StatsMessage.EncodeRequest(request);
        operatorSocket.Send(request);
        var reply = new byte[WireFormat.MaxDatagram];
        var length = operatorSocket.Receive(reply);
        Assert.Equal(DecodeError.None, StatsMessage.TryDecode(reply.AsSpan(0, length), out var reported));
        Assert.Equal(3UL, reported[(byte)BrokerCounter.EntriesDistilled]);
    }

    [Fact]
    public async Task A_dual_stack_broker_serves_an_ipv4_and_an_ipv6_client_in_the_same_batches()
    {
        await using var board = await Board.CreateAsync("test.example/broker-dual-stack");
        using var alice = new Identity();
        using var bob = new Identity();
        await board.RegisterAsync(alice, bob);
        await using var broker = await BrokerServer.StartAsync(Options(IPAddress.IPv6Any), board.Key.Origin, board.Database.DataSource, board.Events);
        var port = broker.LocalEndPoint.Port;

        await using var overIpv4 = new BrokerClient(board.Key.Origin, alice.Ed, alice.Bls, new IPEndPoint(IPAddress.Loopback, port));
        await using var overIpv6 = new BrokerClient(board.Key.Origin, bob.Ed, bob.Bls, new IPEndPoint(IPAddress.IPv6Loopback, port));
        var submissions = new List<Task<BrokerEntryResult>>();
        for (ulong s = 1; s <= 4; s++)
        {
            submissions.Add(overIpv4.SubmitAsync(s, [4, (byte)s], "text/plain"));
            submissions.Add(overIpv6.SubmitAsync(s, [6, (byte)s], "text/plain"));
        }
        await AllInLogAsync(board, broker, submissions);
    }

    /// <summary>Folds until every submission is answered; each must be in the log at its own leaf, all distilled.</summary>
    private static async Task AllInLogAsync(Board board, BrokerServer broker, IReadOnlyList<Task<BrokerEntryResult>> submissions)
    {
        var all = Task.WhenAll(submissions);
        await board.FoldUntilAsync(all, TimeSpan.FromSeconds(60));
        var results = await all;
        Assert.All(results, r => Assert.True(r.Accepted, r.Rejection));
        Assert.Equal(submissions.Count, results.Select(r => r.LeafIndex).Distinct().Count());
        Assert.Equal(submissions.Count, broker.Counters[BrokerCounter.EntriesDistilled]);
    }
}
