using System.Net.Sockets;
using Stele.Broker.Counters;
using Stele.Broker.Tests.Support;
using Stele.Domain.Events;
using Stele.EventStore;
using Stele.Reader.Sources;
using Stele.Reader.Verification;

namespace Stele.Broker.Tests;

/// <summary>
/// A batch in which no client sent a BLS share, so every entry stands on its own Ed25519 signature:
/// the broker writes it with no participants, the fold places it, and a reader verifies it from the
/// files (real UDP, PostgreSQL, fold). The stored event is also checked to carry its entries packed.
/// </summary>
public sealed class StragglerBatchTests
{
    [Fact]
    public async Task A_batch_of_stragglers_only_is_written_folded_and_verified_from_the_files()
    {
        await using var board = await Board.CreateAsync("test.example/broker-stragglers");
        using var alice = new Identity();
        using var bob = new Identity();
        await board.RegisterAsync(alice, bob);
        var options = LoopbackOptions.Create(16, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)); // no share ever comes
        await using var broker = await BrokerServer.StartAsync(options, board.Key.Origin, board.Database.DataSource, board.Events);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp); // sends SUBMITs, never a SHARE
        socket.Connect(broker.LocalEndPoint);
        socket.Send(Wire.SignedSubmit(board.Key.Origin, alice, 1, alice));
        socket.Send(Wire.SignedSubmit(board.Key.Origin, alice, 2, alice));
        socket.Send(Wire.SignedSubmit(board.Key.Origin, bob, 7, bob));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (broker.Counters[BrokerCounter.EntriesDistilled] < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var counters = string.Join(", ", BrokerCounters.Describe(broker.Counters.Snapshot()).Select(c => $"{c.Name}={c.Value}"));
        Assert.True(broker.Counters[BrokerCounter.EntriesDistilled] == 3, counters);
        Assert.Equal(3, broker.Counters[BrokerCounter.StragglersKept]);
        Assert.Equal(0, broker.Counters[BrokerCounter.BatchesFailed]);
        await board.Projection.CatchUpAsync();

        Assert.Equal(0L, await board.ScalarAsync<long>("SELECT count(*) FROM stele.rejections"));
        Assert.Equal(3L, await board.ScalarAsync<long>("SELECT count(*) FROM stele.entry_status WHERE leaf_index IS NOT NULL"));
        var verified = await LogVerifier.VerifyAsync(new DirectoryLogSource(board.Directory), board.Key.Verifier);
        Assert.Equal(3, verified.BatchedEntries);
        Assert.Equal(broker.Counters[BrokerCounter.BatchesDistilled], verified.DistilledBatches);

        // the stored event: no participants, the identity as aggregate, entries as one packed string
        Assert.Equal("string", await board.ScalarAsync<string>("SELECT jsonb_typeof(payload->'entries') FROM stele.events WHERE event_type = 'BatchDistilled' LIMIT 1"));
        RecordedEvent? stored = null;
        await foreach (var e in board.Events.ReadStreamAsync(LogEventTypes.LogStream))
            if (e.Data is BatchDistilled) stored = e;
        var distilled = Assert.IsType<BatchDistilled>(stored!.Data);
        Assert.Empty(distilled.Participants);
        Assert.Equal(Stele.Domain.Batches.DistilledBatchCertificate.NoParticipantsAggregate(), distilled.AggregateSignature);

        // the same batch claiming no participants but a real signature as its aggregate is refused by the fold
        var forged = distilled with { AggregateSignature = alice.Bls.Sign("anything"u8).ToBytes() };
        await board.Events.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, [forged]);
        await board.Projection.CatchUpAsync();
        var reason = await board.ScalarAsync<string>("SELECT reason FROM stele.rejections");
        Assert.Contains("without participants must carry the identity point", reason);
    }
}
