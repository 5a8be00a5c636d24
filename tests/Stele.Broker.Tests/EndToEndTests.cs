using System.Security.Cryptography;
using Stele.Broker.Counters;
using Stele.Broker.Tests.Support;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Reader.Sources;
using Stele.Reader.Verification;
using Stele.Tlog.Tiles;

namespace Stele.Broker.Tests;

/// <summary>Real UDP, real PostgreSQL (ops/test), the real log projection and the reader's verifier.</summary>
public sealed class EndToEndTests
{
    // generous share timeout: the first BLS signature in a process pays for JIT and constants
    private static BrokerOptions Options => LoopbackOptions.Create(16, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5)) with
    {
        ReceiverCore = 0,
        WorkerCore = 1,
        SenderCore = 0,
    };

    [Fact]
    public async Task Entries_sent_through_the_broker_land_in_the_published_log_and_a_reader_rechecks_the_aggregate()
    {
        await using var board = await Board.CreateAsync("test.example/broker-e2e");
        using var alice = new Identity();
        using var bob = new Identity();
        using var carol = new Identity();
        await board.RegisterAsync(alice, bob, carol);
        await using var broker = await BrokerServer.StartAsync(Options, board.Key.Origin, board.Database.DataSource, board.Events);
        Assert.Equal(3, broker.Directory.Count);

        await using var a = new BrokerClient(board.Key.Origin, alice.Ed, alice.Bls, broker.LocalEndPoint);
        await using var b = new BrokerClient(board.Key.Origin, bob.Ed, bob.Bls, broker.LocalEndPoint);
        await using var c = new BrokerClient(board.Key.Origin, carol.Ed, carol.Bls, broker.LocalEndPoint);
        var contents = new Dictionary<(ulong, ulong), byte[]>();
        var submissions = new List<Task<BrokerEntryResult>>();
        foreach (var (client, identity) in new[] { (a, alice), (b, bob), (c, carol) })
        {
            for (ulong sequence = 1; sequence <= 6; sequence++)
            {
                var content = RandomNumberGenerator.GetBytes(20 + (int)sequence);
                contents[(identity.Id.Value, sequence)] = content;
                submissions.Add(client.SubmitAsync(sequence, content, "application/vnd.vote", signIndividually: sequence % 2 == 0));
            }
        }
        var all = Task.WhenAll(submissions);
        await board.FoldUntilAsync(all, TimeSpan.FromSeconds(60));
        var results = await all;
        var counters = string.Join(", ", BrokerCounters.Describe(broker.Counters.Snapshot()).Select(c => $"{c.Name}={c.Value}"));
        Assert.True(results.All(r => r.Accepted), counters);
        Assert.All(results, r => Assert.True(r.Accepted, r.Rejection));
        Assert.Equal(18, results.Select(r => r.LeafIndex).Distinct().Count());
        Assert.True(broker.Counters[BrokerCounter.BatchesDistilled] >= 2); // 18 entries, batches of at most 16
        Assert.Equal(18, broker.Counters[BrokerCounter.EntriesDistilled]);

        // a reader re-checks everything from the files alone, including each batch's aggregate BLS signature
        var verified = await LogVerifier.VerifyAsync(new DirectoryLogSource(board.Directory), board.Key.Verifier);
        Assert.Equal(18, verified.BatchedEntries);
        Assert.Equal(broker.Counters[BrokerCounter.BatchesDistilled], verified.DistilledBatches);

        // each client's leaf index names a batched-entry record of that very entry, and the published payload holds its content
        var records = await ReadRecordsAsync(board.Directory, verified.Size.Value);
        var payloads = new Dictionary<ulong, PayloadFile>();
        for (var i = 0; i < submissions.Count; i++)
        {
            var leaf = results[i].LeafIndex!.Value;
            var record = Assert.IsType<BatchedEntryRecord>(records[(int)leaf]);
            Assert.Equal(results[i].Sequence, record.Descriptor.Sequence);
            var content = contents[(record.Descriptor.Client.Value, record.Descriptor.Sequence)];
            var group = leaf / PayloadFile.LeavesPerFile;
            if (!payloads.TryGetValue(group, out var payload))
                payloads[group] = payload = PayloadFile.Parse(File.ReadAllBytes(Path.Combine(board.Directory, PayloadFile.KeyFor(leaf))));
            var slot = Assert.IsType<InlinePayload>(payload.Slots[(int)(leaf - payload.FirstLeaf)]);
            Assert.Equal(content, slot.Content.ToArray());
        }
    }

    private static async Task<List<LeafRecord>> ReadRecordsAsync(string directory, ulong size)
    {
        var records = new List<LeafRecord>();
        for (ulong group = 0; group * 256 < size; group++)
        {
            var width = (int)Math.Min(256, size - group * 256);
            var bundle = await File.ReadAllBytesAsync(Path.Combine(directory, TileId.Entries(group, width).Path));
            records.AddRange(EntryBundle.Decode(bundle).Select(r => LeafRecord.Parse(r)));
        }
        return records;
    }
}
