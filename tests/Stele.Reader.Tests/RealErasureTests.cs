using Stele.Domain.Content;
using Stele.Domain.Payloads;
using Stele.Projections;
using Stele.Projections.Daemon;
using Stele.Projections.Tests.Support;
using Stele.Reader.Sources;
using Stele.Reader.Verification;
using Stele.Storage;
using Stele.Storage.Local;
using TempDirectory = Stele.Reader.Tests.Support.TempDirectory;

namespace Stele.Reader.Tests;

/// <summary>
/// Erasures made by the real fold and publisher (PostgreSQL event stream, directory store), read back with no
/// server: verify names each erased leaf with its notice, --full does not miss the deleted blobs, and a mirror
/// taken before the erasure follows it (tombstones in, blob out).
/// </summary>
public sealed class RealErasureTests
{
    [Fact]
    public async Task AnErasedLogVerifiesWithItsNoticesAndAMirrorFollowsTheErasure()
    {
        using var key = LogKey.Generate("test.example/reader-erasure");
        using var story = new ErasureStory(key.Origin);
        using var published = new TempDirectory();
        using var mirror = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        await using var mirrorStore = ObjectStores.Open("file://" + mirror.Path);
        await using var source = new DirectoryLogSource(published.Path);

        await log.PostAsync(story.Openings, [.. story.Round1]);
        var projection = await LogProjection.OpenAsync(log.Events, log.DataSource, new DirectoryObjectStore(published.Path), key);
        await projection.CatchUpAsync();
        await LogReader.MirrorAsync(source, mirrorStore, key.Verifier);
        var largeBlob = BlobPayload.KeyFor(Commitment.FromBytes(story.Entry(300).Entry.Commitment));
        Assert.True(File.Exists(mirror.File(largeBlob)));

        await log.PostAsync(story.Openings, [.. story.Round2]);
        await projection.CatchUpAsync();

        var verified = await LogReader.VerifyAsync(source, key.Verifier);
        Assert.Equal(ErasureStory.FinalSize, verified.Size.Value);
        Assert.Equal(story.Erased.Select(e => (e.Target, e.Notice)), verified.Erased.Select(e => (e.Leaf, e.NoticeLeaf)));
        foreach (var erased in verified.Erased)
        {
            Assert.Equal("data subject request #" + erased.Leaf, erased.Reason);
            Assert.Equal("GDPR art. 17(1)(a)", erased.LegalBasis);
            Assert.Equal(ErasureStory.At, erased.Time);
        }
        var full = await FileCheck.CheckAsync(source, key.Verifier);
        Assert.True(full.IsIntact, string.Join("\n", full.Problems));
        Assert.False(File.Exists(published.File(largeBlob)));

        var followed = await LogReader.MirrorAsync(source, mirrorStore, key.Verifier);
        Assert.Equal(1, followed.ErasedBlobsRemoved);
        Assert.False(File.Exists(mirror.File(largeBlob)));
        foreach (var payload in new[] { "payload/000", "payload/001" })
            Assert.Equal(File.ReadAllBytes(published.File(payload)), File.ReadAllBytes(mirror.File(payload)));
        await using var copy = new DirectoryLogSource(mirror.Path);
        var mirrored = await LogReader.VerifyAsync(copy, key.Verifier);
        Assert.Equal(verified.Erased, mirrored.Erased);
        Assert.Equal(verified.Root, mirrored.Root);
    }
}
