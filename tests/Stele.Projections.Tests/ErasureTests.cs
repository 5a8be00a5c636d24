using Npgsql;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Projections.Daemon;
using Stele.Projections.Tests.Support;
using Stele.Storage;
using Stele.Storage.Local;
using Stele.Storage.S3;
using Stele.Testing;

namespace Stele.Projections.Tests;

/// <summary>Live erasure through the real projection: PostgreSQL read models and a directory or s3rver store.</summary>
public sealed class ErasureTests
{
    private const string Origin = "test.example/erasure";

    [Fact]
    public async Task Erasure_on_a_directory_tombstones_deletes_the_blob_and_the_opening_and_refuses_resubmission()
    {
        using var dir = new TempDirectory();
        await EraseAndCheckAsync(new DirectoryObjectStore(dir.Path));
    }

    [Fact]
    public async Task Erasure_on_s3_tombstones_deletes_the_blob_and_the_opening_and_refuses_resubmission()
    {
        var bucket = "stele-erase-" + Guid.NewGuid().ToString("N")[..12];
        await using var store = new S3ObjectStore(S3Settings.ForS3rver(new Uri(TestServers.S3Endpoint)), bucket, "board");
        await store.EnsureBucketAsync();
        try
        {
            await EraseAndCheckAsync(store);
        }
        finally
        {
            await foreach (var item in store.ListAsync()) await store.DeleteAsync(item.Key);
        }
    }

    private static async Task EraseAndCheckAsync(IObjectStore store)
    {
        using var key = LogKey.Generate(Origin);
        using var story = new ErasureStory(key.Origin);
        await using var log = await TestLog.CreateAsync();
        await log.PostAsync(story.Openings, [.. story.Round1]);
        var projection = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        await projection.CatchUpAsync(maxEventsPerCycle: 100);
        var bigKey = BlobPayload.KeyFor(Commitment.FromBytes(story.Entry(300).Entry.Commitment));
        Assert.NotNull(await store.HeadAsync(bigKey));

        await log.PostAsync(story.Openings, [.. story.Round2]);
        await projection.CatchUpAsync(maxEventsPerCycle: 2); // the erasures land in different cycles from their targets (but one)

        var (checkpoint, records) = await LogChecker.VerifyAsync(store, key.Verifier);
        Assert.Equal(ErasureStory.FinalSize, checkpoint.Size.Value);
        var slots = (await PayloadSlotsAsync(store, 0)).Concat(await PayloadSlotsAsync(store, 256)).ToArray();
        foreach (var (target, notice, entry) in story.Erased)
        {
            Assert.Equal(new Tombstone(notice), slots[target]);
            var record = Assert.IsType<RedactionRecord>(records[(int)notice]);
            Assert.Equal((target, "GDPR art. 17(1)(a)", ErasureStory.At), (record.TargetLeaf, record.LegalBasis, record.Time));
            Assert.Null(await store.HeadAsync(BlobPayload.KeyFor(Commitment.FromBytes(entry.Entry.Commitment))));
        }
        Assert.IsType<InlinePayload>(slots[4]);
        Assert.IsType<InlinePayload>(slots[301]);

        // The database: openings gone, erasures remembered, the refused redaction explained.
        Assert.Equal(0L, await log.ScalarAsync<long>($"SELECT count(*) FROM stele.contents WHERE commitment IN ({CommitmentList(story)})"));
        Assert.Equal(299L, await log.ScalarAsync<long>("SELECT count(*) FROM stele.contents")); // 302 stored, 3 erased
        Assert.Equal(3L, await log.ScalarAsync<long>("SELECT count(*) FROM stele.erasures"));
        Assert.Contains("redaction refused: leaf 0 is a registration", await log.ScalarAsync<string>("SELECT string_agg(reason, '|') FROM stele.rejections"));

        // No published object holds an erased salt or the erased content.
        await foreach (var item in store.ListAsync())
        {
            var bytes = await store.GetBytesAsync(item.Key);
            foreach (var (_, _, entry) in story.Erased)
            {
                var opening = story.OpeningOf(entry);
                Assert.False(bytes.AsSpan().IndexOf(opening.Salt.AsSpan()) >= 0, $"{item.Key} holds an erased salt");
                if (opening.Size > 16) Assert.False(bytes.AsSpan().IndexOf(opening.Content!.Value.Span) >= 0, $"{item.Key} holds erased content");
            }
        }

        // Resubmitting the erased content: the database refuses the opening (unique violation → the API's 409)...
        var erased = story.Entry(5);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => log.StoreOpeningsAsync(story.Openings, [erased]));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        // ...and the fold refuses the entry even when an event names it.
        var again = story.Alice.Entry(400, new Stele.Projections.Fold.OpeningTable());
        var facts = again.Entry with { Commitment = erased.Entry.Commitment, Size = erased.Entry.Size };
        var descriptor = new EntryDescriptor(story.Alice.Id, 400, Commitment.FromBytes(facts.Commitment), facts.Size, new MediaType(facts.MediaType));
        await log.Events.AppendAsync(LogEventTypes.LogStream, Stele.EventStore.ExpectedVersion.Any, [again with { Entry = facts, Signature = story.Alice.SignEntry(descriptor) }]);
        await projection.CatchUpAsync();
        Assert.Equal(ErasureStory.FinalSize, projection.Size.Value);
        Assert.Contains("belongs to erased content", await log.ScalarAsync<string>("SELECT string_agg(reason, '|') FROM stele.rejections"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task A_crash_during_an_erasure_cycle_converges_to_the_clean_result(int writesBeforeCrash)
    {
        using var key = LogKey.Generate(Origin);
        using var story = new ErasureStory(key.Origin);
        using var cleanDir = new TempDirectory();
        await using (var clean = await TestLog.CreateAsync())
        {
            await clean.PostAsync(story.Openings, [.. story.Round1]);
            var projection = await LogProjection.OpenAsync(clean.Events, clean.DataSource, new DirectoryObjectStore(cleanDir.Path), key);
            await projection.CatchUpAsync();
            await clean.PostAsync(story.Openings, [.. story.Round2]);
            await projection.CatchUpAsync();
        }

        using var dir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        var store = new DirectoryObjectStore(dir.Path);
        await log.PostAsync(story.Openings, [.. story.Round1]);
        await (await LogProjection.OpenAsync(log.Events, log.DataSource, store, key)).CatchUpAsync();
        await log.PostAsync(story.Openings, [.. story.Round2]);
        var doomed = await LogProjection.OpenAsync(log.Events, log.DataSource, new FailingStore(store, writesBeforeCrash), key);
        await Assert.ThrowsAnyAsync<Exception>(() => doomed.CatchUpAsync());

        var restarted = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
        await restarted.CatchUpAsync();
        await LogChecker.VerifyAsync(store, key.Verifier);
        Assert.Equal(3L, await log.ScalarAsync<long>("SELECT count(*) FROM stele.erasures"));
        var expected = cleanDir.Files();
        var actual = dir.Files();
        foreach (var k in expected.Keys.Where(k => !k.Contains(".p/", StringComparison.Ordinal)))
            Assert.True(actual.TryGetValue(k, out var bytes) && bytes.AsSpan().SequenceEqual(expected[k]), $"{k} differs or is missing");
        Assert.DoesNotContain(actual.Keys, k => k.StartsWith("blob/", StringComparison.Ordinal) && !expected.ContainsKey(k));
    }

    private static async Task<IReadOnlyList<PayloadSlot>> PayloadSlotsAsync(IObjectStore store, ulong first) =>
        PayloadFile.Parse(await store.GetBytesAsync(PayloadFile.KeyFor(first))).Slots;

    private static string CommitmentList(ErasureStory story) =>
        string.Join(", ", story.Erased.Select(e => "'\\x" + Convert.ToHexStringLower(e.Entry.Entry.Commitment) + "'::bytea"));
}
