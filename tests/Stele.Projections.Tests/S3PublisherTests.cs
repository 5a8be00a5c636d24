using Stele.Domain.Records;
using Stele.Projections.Daemon;
using Stele.Projections.Publishing;
using Stele.Projections.Tests.Support;
using Stele.Storage.S3;
using Stele.Testing;

namespace Stele.Projections.Tests;

public sealed class S3PublisherTests
{
    [Fact]
    public async Task A_log_published_to_s3_verifies_and_carries_its_headers()
    {
        using var key = LogKey.Generate("test.example/s3");
        using var scenario = new Scenario(key.Origin, entries: 40);
        await using var log = await TestLog.CreateAsync();
        var bucket = "stele-proj-" + Guid.NewGuid().ToString("N")[..12];
        await using var store = new S3ObjectStore(S3Settings.ForS3rver(new Uri(TestServers.S3Endpoint)), bucket, "board");
        await store.EnsureBucketAsync();
        try
        {
            await log.PostAsync(scenario.Openings, [.. scenario.Rounds[0]]);
            var projection = await LogProjection.OpenAsync(log.Events, log.DataSource, store, key);
            await projection.CatchUpAsync();
            await log.PostAsync(scenario.Openings, [.. scenario.Rounds[1]]);
            await projection.CatchUpAsync();

            var (checkpoint, records) = await LogChecker.VerifyAsync(store, key.Verifier);
            Assert.Equal((ulong)scenario.AcceptedLeaves(40), checkpoint.Size.Value);
            await LogChecker.AssertInclusionAsync(store, checkpoint, 7, records[7].ToBytes());
            Assert.Equal(2, records.OfType<BatchedEntryRecord>().Select(r => r.Batch).Distinct().Count());
            var head = await store.HeadAsync("checkpoint");
            Assert.Equal("text/plain; charset=utf-8", head!.Metadata.ContentType);
            Assert.Equal("no-cache", head.Metadata.CacheControl);
            Assert.Equal(PublishedObjects.ImmutableCacheControl, (await store.HeadAsync("tile/0/000.p/" + checkpoint.Size.Value))!.Metadata.CacheControl);
        }
        finally
        {
            await foreach (var item in store.ListAsync()) await store.DeleteAsync(item.Key);
        }
    }
}
