using Stele.Tlog.Tiles;

namespace Stele.Tlog.Tests;

/// <summary>The incremental tree against the naive RFC 6962 reference, over random sizes and batch splits.</summary>
public sealed class IncrementalTreeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(255, 2)]
    [InlineData(256, 3)]
    [InlineData(257, 4)]
    [InlineData(513, 5)]
    [InlineData(65_535, 6)]
    [InlineData(65_536, 7)]
    [InlineData(70_001, 8)]
    public void TilesAndRootsMatchTheReference(int total, int seed)
    {
        var leaves = TestLeaves.Make(total, seed);
        var naive = new NaiveMerkleTree(leaves);
        var random = new Random(seed);
        var tree = new IncrementalTree();
        var store = new MemoryTileStore();
        var done = 0;
        while (done < total)
        {
            var batch = Math.Min(total - done, random.Next(4) switch { 0 => 1, 1 => random.Next(1, 300), 2 => random.Next(1, 5000), _ => random.Next(1, 40000) });
            var before = new TreeSize((ulong)done);
            var update = tree.Append(leaves.AsSpan(done, batch));
            done += batch;
            var after = new TreeSize((ulong)done);

            Assert.Equal(after, update.Size);
            Assert.Equal(naive.Root(done), update.Root);
            Assert.Equal(update.Root, tree.Root);
            // Exactly the tiles of the new size that the old size did not already have.
            var expected = TreeTiles.All(after).Except(TreeTiles.All(before)).ToHashSet();
            Assert.Equal(expected.OrderBy(t => t.Path, StringComparer.Ordinal), update.Tiles.Select(t => t.Id).OrderBy(t => t.Path, StringComparer.Ordinal));
            foreach (var tile in update.Tiles)
            {
                if (total <= 70_001 && (tile.Id.Level == 0 ? random.Next(8) == 0 : true))
                    Assert.Equal(naive.TileBytes(tile.Id), tile.Data.ToArray());
            }
            store.Write(update);
        }
        foreach (var tile in TreeTiles.All(new TreeSize((ulong)total)))
            Assert.True(store.Tiles.ContainsKey(tile), $"missing {tile.Path}");
    }

    [Fact]
    public void EveryTileOfASmallTreeIsExactlyTheReference()
    {
        var leaves = TestLeaves.Make(1000, 9);
        var naive = new NaiveMerkleTree(leaves);
        var store = new MemoryTileStore();
        var tree = new IncrementalTree();
        for (var i = 0; i < leaves.Length; i += 37)
            store.Write(tree.Append(leaves.AsSpan(i, Math.Min(37, leaves.Length - i))));
        foreach (var tile in TreeTiles.All(new TreeSize(1000)))
            Assert.Equal(naive.TileBytes(tile), store.Tiles[tile]);
    }

    [Fact]
    public void EmptyAppendChangesNothing()
    {
        var tree = new IncrementalTree();
        var update = tree.Append([]);
        Assert.Empty(update.Tiles);
        Assert.Equal(Rfc6962.EmptyTreeHash, update.Root);
        tree.Append(TestLeaves.Make(3));
        var again = tree.Append([]);
        Assert.Empty(again.Tiles);
        Assert.Equal(new TreeSize(3), again.Size);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(300)]
    [InlineData(65_536)]
    [InlineData(66_000)]
    public async Task ResumedTreeContinuesIdentically(int resumeAt)
    {
        var leaves = TestLeaves.Make(resumeAt + 700, 3);
        var store = new MemoryTileStore();
        var first = new IncrementalTree();
        var checkpoint = first.Append(leaves.AsSpan(0, resumeAt));
        store.Write(checkpoint);

        var resumed = await IncrementalTree.ResumeAsync(store, checkpoint.Size, checkpoint.Root);
        Assert.Equal(checkpoint.Root, resumed.Root);
        var continued = resumed.Append(leaves.AsSpan(resumeAt));
        var straight = new IncrementalTree().Append(leaves);
        Assert.Equal(straight.Root, continued.Root);
        var original = first.Append(leaves.AsSpan(resumeAt));
        Assert.Equal(original.Tiles.Select(t => (t.Id, Convert.ToHexString(t.Data.Span))), continued.Tiles.Select(t => (t.Id, Convert.ToHexString(t.Data.Span))));
    }

    [Fact]
    public async Task ResumeRejectsTilesThatDoNotMatchTheCheckpoint()
    {
        var store = new MemoryTileStore();
        var update = new IncrementalTree().Append(TestLeaves.Make(300));
        store.Write(update);
        var wrongRoot = Rfc6962.HashLeaf("x"u8);
        await Assert.ThrowsAsync<InvalidDataException>(() => IncrementalTree.ResumeAsync(store, update.Size, wrongRoot));

        store.Tiles[TileId.Hashes(0, 1, 44)] = new byte[43 * 32];
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => IncrementalTree.ResumeAsync(store, update.Size, update.Root));
        Assert.Contains("tile/0/001.p/44", ex.Message);
    }
}
