using Stele.Tlog.Proofs;
using Stele.Tlog.Tiles;

namespace Stele.Tlog.Tests;

/// <summary>Proofs built from tiles equal the RFC's own recursion, verify, and any tampering fails.</summary>
public sealed class ProofTests
{
    private sealed record Published(MemoryTileStore Store, Hash[] Leaves, List<(TreeSize Size, Hash Root)> Checkpoints);

    private static Published Publish(int total, int seed)
    {
        var leaves = TestLeaves.Make(total, seed);
        var random = new Random(seed);
        var store = new MemoryTileStore();
        var tree = new IncrementalTree();
        var checkpoints = new List<(TreeSize, Hash)>();
        for (var done = 0; done < total;)
        {
            var batch = Math.Min(total - done, random.Next(2) == 0 ? random.Next(1, 20) : random.Next(1, 900));
            var update = tree.Append(leaves.AsSpan(done, batch));
            store.Write(update);
            checkpoints.Add((update.Size, update.Root));
            done += batch;
        }
        return new Published(store, leaves, checkpoints);
    }

    [Theory]
    [InlineData(1, 11)]
    [InlineData(300, 12)]
    [InlineData(3000, 13)]
    [InlineData(70_000, 14)]
    public async Task InclusionProofsMatchTheReferenceAndVerify(int total, int seed)
    {
        var published = Publish(total, seed);
        var naive = new NaiveMerkleTree(published.Leaves);
        var random = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
        {
            var (size, root) = published.Checkpoints[random.Next(published.Checkpoints.Count)];
            var index = new LeafIndex((ulong)random.NextInt64((long)size.Value));
            var proof = await TileProofs.InclusionProofAsync(published.Store, index, size);
            if (total <= 3000) Assert.Equal(naive.Path((int)index.Value, 0, (int)size.Value), proof);
            var leaf = published.Leaves[index.Value];
            Assert.True(MerkleVerifier.VerifyInclusion(index, size, leaf, proof, root));
            Assert.Equal(root, await TileProofs.TreeHashAsync(published.Store, size));
            AssertInclusionTamperingFails(index, size, leaf, proof, root, random);
        }
    }

    [Theory]
    [InlineData(2, 21)]
    [InlineData(600, 22)]
    [InlineData(5000, 23)]
    [InlineData(70_000, 24)]
    public async Task ConsistencyProofsMatchTheReferenceAndVerify(int total, int seed)
    {
        var published = Publish(total, seed);
        var naive = new NaiveMerkleTree(published.Leaves);
        var random = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
        {
            var a = published.Checkpoints[random.Next(published.Checkpoints.Count)];
            var b = published.Checkpoints[random.Next(published.Checkpoints.Count)];
            var (oldCp, newCp) = a.Size <= b.Size ? (a, b) : (b, a);
            var proof = await TileProofs.ConsistencyProofAsync(published.Store, oldCp.Size, newCp.Size);
            if (total <= 5000) Assert.Equal(naive.Consistency((int)oldCp.Size.Value, (int)newCp.Size.Value), proof);
            Assert.True(MerkleVerifier.VerifyConsistency(oldCp.Size, newCp.Size, proof, oldCp.Root, newCp.Root),
                MerkleVerifier.CheckConsistency(oldCp.Size, newCp.Size, proof, oldCp.Root, newCp.Root).Failure);
            AssertConsistencyTamperingFails(oldCp.Size, newCp.Size, proof, oldCp.Root, newCp.Root, random);
        }
    }

    [Fact]
    public async Task ArgumentsOutsideTheTreeAreRejected()
    {
        var published = Publish(10, 31);
        var (size, _) = published.Checkpoints[^1];
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TileProofs.InclusionProofAsync(published.Store, new LeafIndex(size.Value), size));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TileProofs.ConsistencyProofAsync(published.Store, TreeSize.Empty, size));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TileProofs.ConsistencyProofAsync(published.Store, size.Grow(1), size));
        Assert.Empty(await TileProofs.ConsistencyProofAsync(published.Store, size, size));
    }

    [Fact]
    public async Task TileOfTheWrongSizeIsAClearError()
    {
        var published = Publish(600, 32);
        var (size, _) = published.Checkpoints[^1];
        var full = TileId.Hashes(0, 1);
        published.Store.Tiles[full] = published.Store.Tiles[full][..^1];
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => TileProofs.InclusionProofAsync(published.Store, new LeafIndex(300), size));
        Assert.Contains("tile/0/001", ex.Message);
    }

    [Fact]
    public async Task CorruptTileGivesAProofThatDoesNotVerify()
    {
        var published = Publish(600, 33);
        var (size, root) = published.Checkpoints[^1];
        published.Store.Tiles[TileId.Hashes(0, 0)][2 * Hash.Length] ^= 1; // leaf 2, the sibling of leaf 3
        var proof = await TileProofs.InclusionProofAsync(published.Store, new LeafIndex(3), size);
        Assert.False(MerkleVerifier.VerifyInclusion(new LeafIndex(3), size, published.Leaves[3], proof, root));
    }

    private static void AssertInclusionTamperingFails(LeafIndex index, TreeSize size, Hash leaf, Hash[] proof, Hash root, Random random)
    {
        var other = Rfc6962.HashLeaf("tampered"u8);
        Assert.False(MerkleVerifier.VerifyInclusion(index, size, other, proof, root), "wrong leaf");
        Assert.False(MerkleVerifier.VerifyInclusion(index, size, leaf, proof, other), "wrong root");
        if (index.Value + 1 < size.Value) Assert.False(MerkleVerifier.VerifyInclusion(new LeafIndex(index.Value + 1), size, leaf, proof, root), "index + 1");
        if (index.Value > 0) Assert.False(MerkleVerifier.VerifyInclusion(new LeafIndex(index.Value - 1), size, leaf, proof, root), "index - 1");
        Assert.False(MerkleVerifier.VerifyInclusion(new LeafIndex(index.Value ^ (1UL << random.Next(0, 20))), size, leaf, proof, root), "index bit");
        Assert.False(MerkleVerifier.VerifyInclusion(index, size.Grow(size.Value), leaf, proof, root), "size × 2");
        Assert.False(MerkleVerifier.VerifyInclusion(index, new TreeSize(size.Value / 2), leaf, proof, root), "size ÷ 2");
        Assert.False(MerkleVerifier.VerifyInclusion(index, size, leaf, [.. proof, other], root), "extra trailing hash");
        Assert.False(MerkleVerifier.VerifyInclusion(index, size, leaf, [other, .. proof], root), "extra leading hash");
        if (proof.Length == 0) return;
        Assert.False(MerkleVerifier.VerifyInclusion(index, size, leaf, proof[..^1], root), "truncated");
        Assert.False(MerkleVerifier.VerifyInclusion(index, size, leaf, proof[1..], root), "first hash dropped");
        var flipped = FlipBit(proof, random);
        Assert.False(MerkleVerifier.VerifyInclusion(index, size, leaf, flipped, root), "flipped bit");
    }

    private static void AssertConsistencyTamperingFails(TreeSize oldSize, TreeSize newSize, Hash[] proof, Hash oldRoot, Hash newRoot, Random random)
    {
        var other = Rfc6962.HashLeaf("tampered"u8);
        Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, proof, other, newRoot), "wrong old root");
        Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, proof, oldRoot, other), "wrong new root");
        Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, [.. proof, other], oldRoot, newRoot), "extra trailing hash");
        if (oldSize == newSize) return;
        // Sizes are tampered by doubling/halving (as upstream's mutations do): a ±1 change can
        // leave the proof's shape, and so its result, unchanged — RFC 6962 roots do not commit
        // to the size; the signed checkpoint binds the two.
        Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize.Grow(newSize.Value), proof, oldRoot, newRoot), "new size × 2");
        if (oldSize.Value > 1) Assert.False(MerkleVerifier.VerifyConsistency(new TreeSize(oldSize.Value / 2), newSize, proof, oldRoot, newRoot), "old size ÷ 2");
        Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, proof[..^1], oldRoot, newRoot), "truncated");
        Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, FlipBit(proof, random), oldRoot, newRoot), "flipped bit");
    }

    private static Hash[] FlipBit(Hash[] proof, Random random)
    {
        var copy = (Hash[])proof.Clone();
        var which = random.Next(copy.Length);
        var bytes = copy[which].Bytes.ToArray();
        bytes[random.Next(32)] ^= (byte)(1 << random.Next(8));
        copy[which] = Hash.FromBytes(bytes);
        return copy;
    }
}
