using Stele.Domain.Payloads;
using Stele.Projections.Rebuild;
using Stele.Projections.Tests.Support;
using Stele.Storage;
using Stele.Storage.Local;
using Stele.Storage.S3;
using Stele.Testing;

namespace Stele.Projections.Tests;

/// <summary>`stele rebuild` end to end: the real PostgreSQL stream replayed into an empty store, compared key by key with the live one.</summary>
public sealed class RebuildTests
{
    private const string Origin = "test.example/rebuild";

    // Every read model the live projection writes: a rebuild must leave them as they were.
    private const string ReadModelDigest =
        "SELECT concat_ws('|', (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM stele.clients t), " +
        "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM stele.log_state t), " +
        "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM stele.projection_checkpoints t), " +
        "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM stele.erasures t), " +
        "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM stele.entry_status t), " +
        "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM stele.rejections t), " +
        "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM stele.contents t))";

    [Fact]
    public async Task Rebuild_into_an_empty_directory_is_byte_identical_to_the_live_log_and_writes_no_read_model()
    {
        await using var f = await LiveOnDirectory.PublishAsync();
        var (key, story, log, liveDir, targetDir, live) = (f.Key, f.Story, f.Log, f.LiveDir, f.TargetDir, f.Live);
        var before = await log.ScalarAsync<string>(ReadModelDigest);

        var target = new DirectoryObjectStore(targetDir.Path);
        var reports = new List<RebuildProgress>();
        var result = await new LogRebuilder(log.Events, log.DataSource, live, target, key) { EventsPerCycle = 64 }
            .RunAsync(new SyncProgress(reports.Add));

        Assert.True(result.Comparison.Identical, string.Join("; ", result.Comparison.Mismatches));
        var (checkpoint, _) = await LogChecker.VerifyAsync(target, key.Verifier);
        Assert.Equal((await LogChecker.CheckpointAsync(live, key.Verifier)).Size, checkpoint.Size);
        Assert.Equal(result.Size, checkpoint.Size);
        Assert.Equal(before, await log.ScalarAsync<string>(ReadModelDigest));
        Assert.True(reports.Count > 1 && reports[^1].Leaves == checkpoint.Size.Value, $"{reports.Count} progress reports");

        // Identical bytes, not just identical names: the full and partial payload files with their tombstones, blobs, checkpoint.
        var liveFiles = liveDir.Files();
        var rebuilt = targetDir.Files();
        foreach (var name in new[] { "checkpoint", PayloadFile.KeyFor(0), PayloadFile.KeyFor(256) })
            Assert.Equal(liveFiles[name], rebuilt[name]);
        var blobs = liveFiles.Keys.Where(k => k.StartsWith("blob/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(blobs);
        foreach (var blob in blobs) Assert.Equal(liveFiles[blob], rebuilt[blob]);
        foreach (var (_, _, entry) in story.Erasure.Erased)
            Assert.DoesNotContain(BlobPayload.KeyFor(Domain.Content.Commitment.FromBytes(entry.Entry.Commitment)), rebuilt.Keys);
        Assert.Contains(rebuilt.Keys, k => k.StartsWith("batch/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interrupted_rebuild_resumes_and_ends_identical()
    {
        await using var f = await LiveOnDirectory.PublishAsync();
        var (key, story, log, liveDir, targetDir, live) = (f.Key, f.Story, f.Log, f.LiveDir, f.TargetDir, f.Live);
        // As `stele rebuild` opens a directory: fsyncs grouped per cycle (syncfs before and after each checkpoint).
        var target = new DirectoryObjectStore(targetDir.Path, DirectoryDurability.Grouped);

        using var cancel = new CancellationTokenSource();
        var first = new LogRebuilder(log.Events, log.DataSource, live, target, key) { EventsPerCycle = 50 };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            first.RunAsync(new SyncProgress(p => { if (p.Leaves > 200) cancel.Cancel(); }), cancel.Token));
        var interrupted = await LogChecker.CheckpointAsync(target, key.Verifier);
        Assert.InRange(interrupted.Size.Value, 1UL, 299UL); // stopped mid-way, with a checkpoint to resume from

        var result = await new LogRebuilder(log.Events, log.DataSource, live, target, key) { EventsPerCycle = 37 }.RunAsync();
        Assert.True(result.Comparison.Identical, string.Join("; ", result.Comparison.Mismatches));
        Assert.Equal(liveDir.Files()[PayloadFile.KeyFor(0)], targetDir.Files()[PayloadFile.KeyFor(0)]);
    }

    [Fact]
    public async Task Openings_streamed_in_one_read_or_probed_one_by_one_rebuild_the_same_bytes()
    {
        await using var f = await LiveOnDirectory.PublishAsync();
        var (key, log, liveDir, live) = (f.Key, f.Log, f.LiveDir, f.Live);
        var entries = await log.ScalarAsync<long>("SELECT count(*) FROM stele.contents");
        Assert.True(entries > 100, $"{entries} stored openings");

        // Streamed (the default: erased entries and the blob entry fall back to probes), probed only (no
        // read-ahead), and the smallest read-ahead (a row streamed past a page waits alone for the next one).
        foreach (var readAhead in new[] { ContentStream.DefaultMaxAhead, 0, 1 })
        {
            using var targetDir = new TempDirectory();
            var result = await new LogRebuilder(log.Events, log.DataSource, live, new DirectoryObjectStore(targetDir.Path), key)
            { EventsPerCycle = 40, OpeningsReadAhead = readAhead }.RunAsync();

            Assert.True(result.Comparison.Identical, $"read-ahead {readAhead}: " + string.Join("; ", result.Comparison.Mismatches));
            // Every file but the partial tiles and bundles (live and rebuild end their cycles at other leaves).
            Assert.Equal(WholeFiles(liveDir), WholeFiles(targetDir));
            var (streamed, probed) = result.Openings;
            if (readAhead == 0) Assert.True(streamed == 0 && probed >= entries, $"streamed {streamed}, probed {probed} of {entries}"); // erased ones too
            if (readAhead == ContentStream.DefaultMaxAhead) Assert.True(streamed >= entries - 10 && probed <= 10, $"streamed {streamed}, probed {probed} of {entries}");
            if (readAhead == 1) Assert.True(streamed > 0 && probed > 0, $"streamed {streamed}, probed {probed}");
        }
    }

    [Fact]
    public async Task A_tampered_or_lost_live_file_is_named_by_the_comparison()
    {
        await using var f = await LiveOnDirectory.PublishAsync();
        var (key, story, log, liveDir, targetDir, live) = (f.Key, f.Story, f.Log, f.LiveDir, f.TargetDir, f.Live);
        var tile = Tlog.Tiles.TileId.Hashes(0, 0, Tlog.Tiles.TileId.FullWidth).Path;
        var bytes = await live.GetBytesAsync(tile);
        bytes[100] ^= 1;
        await live.PutBytesAsync(tile, bytes, Publishing.PublishedObjects.Immutable);
        var lost = liveDir.Files().Keys.First(k => k.StartsWith("tile/entries/", StringComparison.Ordinal) && !k.Contains(".p/", StringComparison.Ordinal));
        await live.DeleteAsync(lost);

        var result = await new LogRebuilder(log.Events, log.DataSource, live, new DirectoryObjectStore(targetDir.Path), key).RunAsync();

        Assert.False(result.Comparison.Identical);
        Assert.Equal(
            [(tile, KeyDifference.Different), (lost, KeyDifference.Extra)],
            result.Comparison.Mismatches.Select(m => (m.Key, m.Difference)).OrderBy(m => m.Key, StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Rebuild_from_s3_into_another_s3_prefix_is_byte_identical()
    {
        using var key = LogKey.Generate(Origin);
        using var story = new RebuildStory(key.Origin);
        await using var log = await TestLog.CreateAsync();
        var bucket = "stele-rebuild-" + Guid.NewGuid().ToString("N")[..12];
        var settings = S3Settings.ForS3rver(new Uri(TestServers.S3Endpoint));
        await using var live = new S3ObjectStore(settings, bucket, "live");
        await using var target = new S3ObjectStore(settings, bucket, "rebuilt");
        await live.EnsureBucketAsync();
        try
        {
            await story.PublishLiveAsync(log, live, key);
            var result = await new LogRebuilder(log.Events, log.DataSource, live, target, key) { EventsPerCycle = 100 }.RunAsync();
            Assert.True(result.Comparison.Identical, string.Join("; ", result.Comparison.Mismatches));
            Assert.True(result.Comparison.Compared > 10, $"{result.Comparison.Compared} keys compared");
            Assert.Equal(await live.GetBytesAsync("checkpoint"), await target.GetBytesAsync("checkpoint"));
        }
        finally
        {
            await foreach (var item in live.ListAsync()) await live.DeleteAsync(item.Key);
            await foreach (var item in target.ListAsync()) await target.DeleteAsync(item.Key);
        }
    }

    private static Dictionary<string, byte[]> WholeFiles(TempDirectory directory) =>
        directory.Files().Where(f => !f.Key.Contains(".p/", StringComparison.Ordinal)).ToDictionary();

    /// <summary>The <see cref="RebuildStory"/> published live on a directory, and an empty target directory.</summary>
    private sealed class LiveOnDirectory : IAsyncDisposable
    {
        private LiveOnDirectory(LogKey key, RebuildStory story, TestLog log)
        {
            (Key, Story, Log) = (key, story, log);
            Live = new DirectoryObjectStore(LiveDir.Path);
        }

        public LogKey Key { get; }
        public RebuildStory Story { get; }
        public TestLog Log { get; }
        public TempDirectory LiveDir { get; } = new();
        public TempDirectory TargetDir { get; } = new();
        public DirectoryObjectStore Live { get; }

        public static async Task<LiveOnDirectory> PublishAsync()
        {
            var key = LogKey.Generate(Origin);
            var fixture = new LiveOnDirectory(key, new RebuildStory(key.Origin), await TestLog.CreateAsync());
            await fixture.Story.PublishLiveAsync(fixture.Log, fixture.Live, key);
            return fixture;
        }

        public async ValueTask DisposeAsync()
        {
            await Log.DisposeAsync();
            Story.Dispose();
            Key.Dispose();
            LiveDir.Dispose();
            TargetDir.Dispose();
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, too late to cancel mid-way).</summary>
    private sealed class SyncProgress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
