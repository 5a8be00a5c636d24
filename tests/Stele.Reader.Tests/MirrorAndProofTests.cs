using Stele.Reader.Sources;
using Stele.Reader.Tests.Support;
using Stele.Reader.Verification;
using Stele.Storage;
using Stele.Tlog;
using Stele.Tlog.Proofs;
using Stele.Tlog.Tiles;

namespace Stele.Reader.Tests;

public sealed class MirrorAndProofTests
{
    [Fact]
    public async Task MirrorCopiesThenCopiesOnlyWhatIsNewAndTheMirrorVerifies()
    {
        await using var scene = await MirrorScene.PublishAsync(50);
        var (sample, src, dst, source, store) = scene;

        var first = await LogReader.MirrorAsync(source, store, sample.Log.Verifier);
        Assert.Null(first.PreviousSize);
        Assert.True(first.FilesCopied > 5);
        Assert.False(File.Exists(dst.File("blob/" + "x")));
        await using (var mirror = new DirectoryLogSource(dst.Path))
            Assert.Equal(sample.Log.Size, (await LogReader.VerifyAsync(mirror, sample.Log.Verifier)).Size.Value);

        var again = await LogReader.MirrorAsync(source, store, sample.Log.Verifier);
        Assert.Equal(0, again.FilesCopied);

        sample.Log.AddEntry(sample.Clients[1], [4, 5, 6]);
        await sample.Log.PublishToDirectoryAsync(src.Path);
        var grown = await LogReader.MirrorAsync(source, store, sample.Log.Verifier);
        Assert.Equal(sample.Log.Size - 1, grown.PreviousSize!.Value.Value);
        Assert.InRange(grown.FilesCopied, 1, 6); // new partial tiles and bundle, the payload file, the checkpoint
        Assert.Equal(await File.ReadAllBytesAsync(src.File("checkpoint")), await File.ReadAllBytesAsync(dst.File("checkpoint")));
    }

    [Fact]
    public async Task AnInterruptedMirrorResumes()
    {
        await using var scene = await MirrorScene.PublishAsync(600);
        var (sample, src, dst, source, store) = scene;

        // Cancel as soon as copying starts: some files land, the checkpoint does not.
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress<Mirror.MirrorProgress>(p => { if (p.Stage == "copy" && p.Done >= 2) cancel.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LogReader.MirrorAsync(source, store, sample.Log.Verifier, null, progress, cancel.Token));
        Assert.False(File.Exists(dst.File("checkpoint")));

        Assert.True(Directory.Exists(dst.File("blob")));

        var resumed = await LogReader.MirrorAsync(source, store, sample.Log.Verifier);
        Assert.True(resumed.FilesAlreadyPresent > 0);
        await using var mirror = new DirectoryLogSource(dst.Path);
        Assert.Equal(sample.Log.Size, (await LogReader.VerifyAsync(mirror, sample.Log.Verifier)).Size.Value);

        // Byte for byte what one uninterrupted run produces (objects and their metadata).
        using var fresh = new TempDirectory();
        await using (var freshStore = ObjectStores.Open("file://" + fresh.Path)) await LogReader.MirrorAsync(source, freshStore, sample.Log.Verifier);
        DirectorySnapshot.AssertSame(fresh.Path, dst.Path);
    }

    [Fact]
    public async Task AMirrorRefusesAForkedSourceAndChangesNothing()
    {
        await using var scene = await MirrorScene.PublishAsync(10);
        var (sample, src, dst, source, store) = scene;
        await LogReader.MirrorAsync(source, store, sample.Log.Verifier);
        var mirrored = await File.ReadAllBytesAsync(dst.File("checkpoint"));

        // The same key signs a different history of the same size plus one: a fork.
        using var forkDir = new TempDirectory();
        using var fork = new TestLog(key: Tlog.Notes.NoteSignerKey.Parse(sample.Log.ExportKey()));
        foreach (var c in sample.Clients) fork.Register(c);
        for (var i = 0; fork.Size <= sample.Log.Size; i++) fork.AddEntry(sample.Clients[i % 3], [(byte)i]);
        await fork.PublishToDirectoryAsync(forkDir.Path);
        await using var forked = new DirectoryLogSource(forkDir.Path);

        var e = await Assert.ThrowsAsync<SplitViewException>(() => LogReader.MirrorAsync(forked, store, sample.Log.Verifier));
        Assert.Contains("SPLIT VIEW", e.Message);
        Assert.Equal(mirrored, await File.ReadAllBytesAsync(dst.File("checkpoint")));
    }

    [Fact]
    public async Task AMirrorRefusesADifferingImmutableFile()
    {
        await using var scene = await MirrorScene.PublishAsync(10);
        var (sample, src, dst, source, store) = scene;
        // The destination already has a tile with other bytes (and no checkpoint yet).
        var key = "tile/0/000.p/" + sample.Log.Size;
        Directory.CreateDirectory(dst.File("tile/0/000.p"));
        var tile = await File.ReadAllBytesAsync(src.File(key));
        tile[0] ^= 1;
        await File.WriteAllBytesAsync(dst.File(key), tile);

        var e = await Assert.ThrowsAsync<SplitViewException>(() => LogReader.MirrorAsync(source, store, sample.Log.Verifier));
        Assert.Equal(key, e.File);
        Assert.False(File.Exists(dst.File("checkpoint")));
        Assert.False(Directory.Exists(dst.File("tile/entries")));
    }

    [Fact]
    public async Task VerifySinceAnOldCheckpointAndRefuseARollback()
    {
        using var sample = new SampleLog(10);
        using var dir = new TempDirectory();
        var old = await sample.Log.PublishToDirectoryAsync(dir.Path);
        sample.Log.AddEntry(sample.Clients[0], [1]);
        var current = await sample.Log.PublishToDirectoryAsync(dir.Path);
        await using var source = new DirectoryLogSource(dir.Path);

        var result = await LogReader.VerifyAsync(source, sample.Log.Verifier, new VerifyOptions { SinceCheckpoint = old });
        Assert.Equal(sample.Log.Size - 1, result.ConsistentSince!.Value.Value);

        // Serving the old checkpoint to a reader who has seen the new one is a rollback.
        await File.WriteAllBytesAsync(dir.File("checkpoint"), old);
        await Assert.ThrowsAsync<SplitViewException>(() => LogReader.VerifyAsync(source, sample.Log.Verifier, new VerifyOptions { SinceCheckpoint = current }));
    }

    [Fact]
    public async Task InclusionAndConsistencyProofsVerifyIndependently()
    {
        using var sample = new SampleLog(600);
        using var dir = new TempDirectory();
        await sample.Log.PublishToDirectoryAsync(dir.Path);
        await using var source = new DirectoryLogSource(dir.Path);

        foreach (var leaf in new ulong[] { 0, 255, 256, sample.Log.Size - 1 })
        {
            var proof = await LogReader.ProveInclusionAsync(source, sample.Log.Verifier, leaf);
            Assert.Equal(sample.Log.Records[(int)leaf], proof.Record.ToArray());
            Assert.True(MerkleVerifier.VerifyInclusion(proof.Leaf, proof.Size, Rfc6962.HashLeaf(sample.Log.Records[(int)leaf]), proof.Path.ToArray(), proof.Root));
            var byHash = await LogReader.ProveInclusionAsync(source, sample.Log.Verifier, proof.LeafHash);
            Assert.Equal(leaf, byHash.Leaf.Value);
        }
        await Assert.ThrowsAsync<LogVerificationException>(() => LogReader.ProveInclusionAsync(source, sample.Log.Verifier, sample.Log.Size));

        foreach (var old in new ulong[] { 1, 100, 256, 600, sample.Log.Size })
        {
            var proof = await LogReader.ProveConsistencyAsync(source, sample.Log.Verifier, new TreeSize(old));
            var tree = new IncrementalTree();
            tree.Append(sample.Log.Records.Take((int)old).Select(r => Rfc6962.HashLeaf(r)).ToArray());
            Assert.Equal(tree.Root, proof.OldRoot);
            Assert.True(MerkleVerifier.VerifyConsistency(proof.OldSize, proof.Size, proof.Path.ToArray(), tree.Root, proof.Root));
        }
    }
}

/// <summary>Reports on the caller's thread, so a test can react at once.</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
