using Stele.Domain.Batches;
using Stele.Domain.Records;
using Stele.Projections.Daemon;
using Stele.Projections.Publishing;
using Stele.Projections.Tests.Support;
using Stele.Storage;
using Stele.Storage.Local;
using Stele.Tlog;
using Stele.Tlog.Proofs;

namespace Stele.Projections.Tests;

public sealed class PublisherTests
{
    private const string Origin = "test.example/publish";

    [Fact]
    public async Task A_published_log_verifies_from_its_files_alone()
    {
        using var key = LogKey.Generate(Origin);
        using var scenario = new Scenario(key.Origin);
        using var dir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        var store = new DirectoryObjectStore(dir.Path);

        await log.PostAsync(scenario.Openings, [.. scenario.Rounds[0]]);
        var projection = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        await projection.CatchUpAsync(maxEventsPerCycle: 70);
        var (early, earlyRecords) = await LogChecker.VerifyAsync(store, key.Verifier);
        Assert.Equal(302ul, early.Size.Value);

        await log.PostAsync(scenario.Openings, [.. scenario.Rounds[1]]);
        await projection.CatchUpAsync();
        var (checkpoint, records) = await LogChecker.VerifyAsync(store, key.Verifier);
        Assert.Equal((ulong)scenario.AcceptedLeaves(), checkpoint.Size.Value);
        Assert.Equal(2, records.OfType<RegistrationRecord>().Count());
        Assert.Equal(43, records.OfType<BatchedEntryRecord>().Count());

        // proofs from the tiles: inclusion of leaves of every kind, consistency with the earlier checkpoint
        foreach (var leaf in new ulong[] { 0, 1, 255, 256, 301, checkpoint.Size.Value - 1 })
            await LogChecker.AssertInclusionAsync(store, checkpoint, leaf, records[(int)leaf].ToBytes());
        var consistency = await TileProofs.ConsistencyProofAsync(new StoreTileReader(store), early.Size, checkpoint.Size);
        Assert.True(MerkleVerifier.VerifyConsistency(early.Size, checkpoint.Size, consistency, early.Root, checkpoint.Root));
        Assert.Equal(earlyRecords.Select(r => r.ToBytes()), records.Take(302).Select(r => r.ToBytes()));

        // batch certificates and the blob are published; headers as specified
        foreach (var root in records.OfType<BatchedEntryRecord>().Select(r => r.Batch).Distinct())
            Assert.Equal(root, BatchCertificate.Parse(await store.GetBytesAsync(BatchCertificate.KeyFor(root))).Root);
        var big = records.OfType<EntryRecord>().Single(r => r.Descriptor.Sequence == 2000).Descriptor;
        var blob = await store.HeadAsync(Stele.Domain.Payloads.BlobPayload.KeyFor(big.Commitment));
        Assert.Equal((long)big.Size, blob!.Size);
        Assert.Equal(PublishedObjects.ImmutableCacheControl, blob.Metadata.CacheControl);
        Assert.Equal("no-cache", (await store.HeadAsync("checkpoint"))!.Metadata.CacheControl);
        Assert.Equal("text/plain; charset=utf-8", (await store.HeadAsync("checkpoint"))!.Metadata.ContentType);
        Assert.Equal("no-cache", (await store.HeadAsync("payload/000"))!.Metadata.CacheControl);
        Assert.Equal(PublishedObjects.ImmutableCacheControl, (await store.HeadAsync("tile/0/000"))!.Metadata.CacheControl);

        // read models
        Assert.Equal(2L, await log.ScalarAsync<long>("SELECT count(*) FROM stele.clients"));
        Assert.Equal(2L, await log.ScalarAsync<long>("SELECT count(*) FROM stele.rejections"));
        Assert.Equal((long)scenario.AcceptedLeaves() - 2, await log.ScalarAsync<long>("SELECT count(*) FROM stele.entry_status WHERE leaf_index IS NOT NULL"));
        Assert.Contains("replayed", await log.ScalarAsync<string>("SELECT string_agg(reason, ' | ') FROM stele.rejections"));
        Assert.Equal((long)checkpoint.Size.Value, await log.ScalarAsync<long>("SELECT tree_size FROM stele.log_state"));
        Assert.Equal(2000L, await log.ScalarAsync<long>($"SELECT last_sequence FROM stele.clients WHERE client_id = {unchecked((long)scenario.Alice.Id.Value)}"));
    }

    [Fact]
    public async Task A_restarted_projection_resumes_from_the_database_and_tiles()
    {
        using var key = LogKey.Generate(Origin);
        using var scenario = new Scenario(key.Origin, entries: 100);
        using var dir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        var store = new DirectoryObjectStore(dir.Path);
        await log.PostAsync(scenario.Openings, [.. scenario.Rounds[0]]);
        var first = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        await first.CatchUpAsync(maxEventsPerCycle: 33);

        await log.PostAsync(scenario.Openings, [.. scenario.Rounds[1]]);
        var second = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        Assert.Equal(first.Size, second.Size);
        Assert.Equal(first.Position, second.Position);
        await second.CatchUpAsync();
        var (checkpoint, _) = await LogChecker.VerifyAsync(store, key.Verifier);
        Assert.Equal((ulong)scenario.AcceptedLeaves(100), checkpoint.Size.Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(15)]
    public async Task A_publisher_that_crashes_midway_restarts_to_identical_bytes(int writesBeforeCrash)
    {
        using var key = LogKey.Generate(Origin);
        using var scenario = new Scenario(key.Origin, entries: 280);
        var events = scenario.Rounds.SelectMany(r => r).ToArray();

        // the reference: one clean run
        using var cleanDir = new TempDirectory();
        await using (var clean = await TestLog.CreateAsync())
        {
            await clean.PostAsync(scenario.Openings, events);
            var projection = await LogProjection.OpenAsync(clean.Events, clean.DataSource, new DirectoryObjectStore(cleanDir.Path), key);
            await projection.CatchUpAsync(maxEventsPerCycle: 100);
        }

        using var dir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        await log.PostAsync(scenario.Openings, events);
        var store = new DirectoryObjectStore(dir.Path);
        var doomed = await LogProjection.OpenAsync(log.Events, log.DataSource, new FailingStore(store, writesBeforeCrash), key);
        await Assert.ThrowsAnyAsync<Exception>(() => doomed.CatchUpAsync(maxEventsPerCycle: 100));

        var restarted = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        await restarted.CatchUpAsync(maxEventsPerCycle: 37);
        var (checkpoint, _) = await LogChecker.VerifyAsync(store, key.Verifier);
        Assert.Equal((ulong)scenario.AcceptedLeaves(280), checkpoint.Size.Value);

        var expected = cleanDir.Files();
        var actual = dir.Files();
        Assert.Equal(expected["checkpoint"], actual["checkpoint"]);
        var common = expected.Keys.Intersect(actual.Keys).ToArray();
        Assert.True(common.Length > 10);
        foreach (var k in common) Assert.True(expected[k].AsSpan().SequenceEqual(actual[k]), $"{k} differs");
        foreach (var k in expected.Keys.Where(k => !k.Contains(".p/", StringComparison.Ordinal))) Assert.True(actual.ContainsKey(k), $"{k} missing");
    }

    [Fact]
    public async Task An_immutable_file_with_other_bytes_raises_the_alarm_and_is_not_overwritten()
    {
        using var key = LogKey.Generate(Origin);
        using var scenario = new Scenario(key.Origin, entries: 3);
        using var dir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        var store = new DirectoryObjectStore(dir.Path);
        var planted = "not what the log says"u8.ToArray();
        await store.PutBytesAsync("tile/entries/000.p/5", planted, PublishedObjects.Immutable);
        await log.PostAsync(scenario.Openings, [.. scenario.Rounds[0]]);
        var projection = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        var alarm = await Assert.ThrowsAsync<PublicationAlarmException>(() => projection.CatchUpAsync());
        Assert.Equal("tile/entries/000.p/5", alarm.Key);
        Assert.Equal(planted, await store.GetBytesAsync("tile/entries/000.p/5"));
        Assert.Equal(0ul, (await LogChecker.CheckpointAsync(store, key.Verifier)).Size.Value); // the checkpoint did not advance
        Assert.Equal(0L, await log.ScalarAsync<long>("SELECT count(*) FROM stele.clients"));
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_raises_the_alarm()
    {
        using var key = LogKey.Generate(Origin);
        using var other = LogKey.Generate(Origin);
        using var dir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        var store = new DirectoryObjectStore(dir.Path);
        await store.PutBytesAsync("checkpoint", new Stele.Tlog.Checkpoints.CheckpointSigner(other.Signer).Sign(TreeSize.Empty, Rfc6962.EmptyTreeHash), PublishedObjects.Checkpoint);
        await Assert.ThrowsAsync<PublicationAlarmException>(() => LogProjection.OpenAsync(log.Events, log.DataSource, store, key));
    }

    [Fact]
    public async Task A_stale_leader_never_moves_the_checkpoint_back_and_cannot_commit()
    {
        using var key = LogKey.Generate(Origin);
        using var scenario = new Scenario(key.Origin, entries: 30);
        using var dir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        var store = new DirectoryObjectStore(dir.Path);
        await log.PostAsync(scenario.Openings, [.. scenario.Rounds[0]]);
        var stale = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        var current = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        await current.CatchUpAsync();
        var before = await store.GetBytesAsync("checkpoint");
        Assert.Equal(32ul, (await LogChecker.CheckpointAsync(store, key.Verifier)).Size.Value);

        await Assert.ThrowsAsync<Stele.EventStore.CheckpointConflictException>(() => stale.CatchUpAsync(maxEventsPerCycle: 10));
        Assert.Equal(before, await store.GetBytesAsync("checkpoint"));
        await LogChecker.VerifyAsync(store, key.Verifier);
    }
}
