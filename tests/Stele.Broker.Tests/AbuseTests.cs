using System.Net;
using System.Net.Sockets;
using Stele.Broker.Counters;
using Stele.Broker.Protocol;
using Stele.Broker.Tests.Support;

namespace Stele.Broker.Tests;

/// <summary>Bad datagrams over real UDP are counted and dropped while a registered client keeps being served.</summary>
public sealed class AbuseTests
{
    [Fact]
    public async Task Malformed_truncated_oversized_unknown_replayed_and_flooding_traffic_is_counted_while_a_good_client_is_served()
    {
        await using var board = await Board.CreateAsync("test.example/broker-abuse");
        using var good = new Identity();
        await board.RegisterAsync(good);
        var options = new BrokerOptions
        {
            Bind = new IPEndPoint(IPAddress.Loopback, 0),
            BatchSize = 64,
            BatchTimeout = TimeSpan.FromMilliseconds(100),
            ShareTimeout = TimeSpan.FromSeconds(5),
            LeafPoll = TimeSpan.FromMilliseconds(50),
            ReceiveQueueSlots = 4096,
            SendQueueSlots = 1024,
            BatchArenaBytes = 1 << 20,
            SourceRate = 200,
            SourceBurst = 20,
        };
        await using var broker = await BrokerServer.StartAsync(options, board.Key.Origin, board.Database.DataSource, board.Events);
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        attacker.Connect(broker.LocalEndPoint);
        var submit = Wire.Submit(0x1234, 1);
        attacker.Send(submit.AsSpan(0, 40));                           // truncated
        attacker.Send([.. submit, 0]);                                 // malformed: trailing byte
        attacker.Send(new byte[WireFormat.MaxDatagram + 1]);           // oversized for the protocol
        attacker.Send(new byte[4000]);                                 // oversized for the receive slot (kernel truncates)
        var wrongVersion = (byte[])submit.Clone();
        wrongVersion[0] = 9;
        attacker.Send(wrongVersion);                                   // unsupported version
        attacker.Send(submit);                                         // unknown client
        await WaitForAsync(() => broker.Counters[BrokerCounter.DroppedUnknownClient] == 1);

        // one source floods: its burst passes, the rest is rate limited; the good client is unaffected
        using var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        flooder.Connect(broker.LocalEndPoint);
        for (var i = 0; i < 2000; i++) flooder.Send(submit);

        await using var client = new BrokerClient(board.Key.Origin, good.Ed, good.Bls, broker.LocalEndPoint);
        var first = client.SubmitAsync(1, "yes"u8, "text/plain");
        await board.FoldUntilAsync(first, TimeSpan.FromSeconds(60));
        Assert.True((await first).Accepted, (await first).Rejection);
        var replay = await client.SubmitAsync(1, "again"u8, "text/plain").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(replay.Accepted);
        Assert.Equal(BrokerClient.Describe(RejectReason.ReplayedSequence), replay.Rejection);

        var c = broker.Counters;
        Assert.Equal(1, c[BrokerCounter.DroppedTruncated]);
        Assert.Equal(1, c[BrokerCounter.DroppedMalformed]);
        Assert.Equal(2, c[BrokerCounter.DroppedOversized]);
        Assert.Equal(1, c[BrokerCounter.DroppedUnsupportedVersion]);
        // The client retransmits a submit that gets no answer in time (a loaded machine): each copy of the replay is dropped.
        Assert.InRange(c[BrokerCounter.DroppedReplayedSequence], 1L, 1L + client.Retransmissions);
        Assert.InRange(c[BrokerCounter.DroppedRateLimited], 1000, 2000);   // burst 20 + 200/s for the flood's duration got through
        Assert.Equal(2000 - c[BrokerCounter.DroppedRateLimited] + 1, c[BrokerCounter.DroppedUnknownClient]);
        Assert.Equal(1, c[BrokerCounter.EntriesDistilled]);

        // the STATS datagram reports the same counters to a loopback requester
        var request = new byte[WireFormat.HeaderLength];
        StatsMessage.EncodeRequest(request);
        attacker.Send(request);
        var reply = new byte[WireFormat.MaxDatagram];
        attacker.ReceiveTimeout = 5000;
        var length = attacker.Receive(reply);
        Assert.Equal(DecodeError.None, StatsMessage.TryDecode(reply.AsSpan(0, length), out var reported));
        Assert.Equal(2UL, reported[(byte)BrokerCounter.DroppedOversized]);
        Assert.Equal(1UL, reported[(byte)BrokerCounter.EntriesDistilled]);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(condition());
    }
}
