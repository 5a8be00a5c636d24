using Stele.Reader.Sources;
using Stele.Reader.Tests.Support;
using Stele.Reader.Verification;
using Stele.Tlog.Notes;

namespace Stele.Reader.Tests;

public sealed class VerifyDirectoryTests
{
    [Fact]
    public async Task AValidLogVerifiesWithEveryKindOfLeafCounted()
    {
        using var sample = new SampleLog();
        using var dir = new TempDirectory();
        await sample.Log.PublishToDirectoryAsync(dir.Path);
        await using var source = new DirectoryLogSource(dir.Path);

        var result = await LogReader.VerifyAsync(source, sample.Log.Verifier);

        Assert.Equal(sample.Log.Size, result.Size.Value);
        Assert.Equal(3, result.Registrations);
        Assert.Equal(303, result.Entries);
        Assert.Equal(70, result.BatchedEntries);
        Assert.Equal(2, result.Batches);
        Assert.Equal(1, result.DistilledBatches);
        Assert.Equal(2, result.Redactions);
        Assert.Equal(1, result.Blobs);
        Assert.Equal(200_000, result.BlobBytes);
        Assert.Equal([sample.ErasedInlineLeaf, sample.ErasedBlobLeaf], result.Erased.Select(e => e.Leaf).Order());
        Assert.Equal(sample.Log.Size - 2, result.Erased.Single(e => e.Leaf == sample.ErasedInlineLeaf).NoticeLeaf);
    }

    [Fact]
    public async Task TheEmptyLogAndAPartialFirstTileVerify()
    {
        using var log = new TestLog();
        using var dir = new TempDirectory();
        await log.PublishToDirectoryAsync(dir.Path);
        await using var source = new DirectoryLogSource(dir.Path);
        Assert.Equal(0UL, (await LogReader.VerifyAsync(source, log.Verifier)).Size.Value);

        using var client = new TestClient();
        log.Register(client);
        log.AddEntry(client, [1, 2, 3]);
        await log.PublishToDirectoryAsync(dir.Path);
        Assert.Equal(2UL, (await LogReader.VerifyAsync(source, log.Verifier)).Size.Value);
    }

    [Fact]
    public async Task AnotherKeyForTheSameOriginIsRefused()
    {
        using var sample = new SampleLog(0);
        using var dir = new TempDirectory();
        await sample.Log.PublishToDirectoryAsync(dir.Path);
        await using var source = new DirectoryLogSource(dir.Path);
        using var impostor = NoteSignerKey.Generate(sample.Log.Origin.Value);

        var e = await Assert.ThrowsAsync<LogVerificationException>(() => LogReader.VerifyAsync(source, impostor.Verifier));
        Assert.Equal("checkpoint", e.File);
        Assert.Contains("does not verify against the trusted key", e.Message);
    }

    [Fact]
    public async Task AKeyForAnotherOriginIsRefused()
    {
        using var sample = new SampleLog(0);
        using var dir = new TempDirectory();
        await sample.Log.PublishToDirectoryAsync(dir.Path);
        await using var source = new DirectoryLogSource(dir.Path);
        using var other = NoteSignerKey.Generate("other.example/log");

        var e = await Assert.ThrowsAsync<LogVerificationException>(() => LogReader.VerifyAsync(source, other.Verifier));
        Assert.Contains("origin 'test.stele.example/log'", e.Message);
    }

    [Fact]
    public async Task ALogCrossingALevelOneTileVerifiesAndIsComparedAtEveryLevel()
    {
        using var log = new TestLog();
        var clients = Enumerable.Range(0, 4).Select(_ => new TestClient()).ToList();
        foreach (var c in clients) log.Register(c);
        // 66,000 leaves: one full level-1 tile (65,536 leaves) plus partial tiles at levels 0, 1 and 2.
        var remaining = 66_000 - 4;
        var seed = 0;
        while (remaining > 0)
        {
            var n = Math.Min(remaining, 4_000);
            log.AddDistilledBatch([.. Enumerable.Range(0, n).Select(i => (clients[i % 4], new[] { (byte)(seed++ % 251) }))]);
            remaining -= n;
        }
        using var dir = new TempDirectory();
        await log.PublishToDirectoryAsync(dir.Path);
        await using var source = new DirectoryLogSource(dir.Path);

        var result = await LogReader.VerifyAsync(source, log.Verifier);
        Assert.Equal(66_000UL, result.Size.Value);
        Assert.True(File.Exists(dir.File("tile/1/000")));
        Assert.True(File.Exists(dir.File("tile/2/000.p/1")));

        // A flipped hash in the full level-1 tile is caught there.
        var path = dir.File("tile/1/000");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[100] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);
        var e = await Assert.ThrowsAsync<LogVerificationException>(() => LogReader.VerifyAsync(source, log.Verifier));
        Assert.Equal("tile/1/000", e.File);
        foreach (var c in clients) c.Dispose();
    }
}
