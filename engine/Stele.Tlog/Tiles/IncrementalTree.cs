namespace Stele.Tlog.Tiles;

/// <summary>
/// Appends leaf hashes to an RFC 6962 tree and produces its C2SP tiles. It keeps only the right
/// edge — one partially filled tile per level — so memory stays at a few KiB per level whatever
/// the size, and it can resume from the partial tiles of a published tree.
/// Not thread-safe: one writer appends.
/// </summary>
public sealed class IncrementalTree
{
    private readonly List<LevelEdge> _levels = [];
    private readonly Hash[] _scratch = new Hash[TileId.FullWidth / 2];
    private Hash _root = Rfc6962.EmptyTreeHash;

    public TreeSize Size { get; private set; }

    /// <summary>The RFC 6962 root of the current tree (SHA-256("") when empty).</summary>
    public Hash Root => _root;

    /// <summary>An empty tree.</summary>
    public IncrementalTree() { }

    /// <summary>
    /// Resumes a published tree of <paramref name="size"/> by reading its partial tiles, and
    /// checks the resulting root against <paramref name="expectedRoot"/> (the checkpoint's root).
    /// </summary>
    public static async Task<IncrementalTree> ResumeAsync(ITileReader reader, TreeSize size, Hash expectedRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var tree = new IncrementalTree();
        for (var level = 0; level < TreeTiles.LevelCount(size); level++)
        {
            var edge = tree.LevelAt(level);
            edge.FullTiles = TreeTiles.NodesAtTileLevel(size, level) / TileId.FullWidth;
            if (TreeTiles.PartialTile(size, level) is not { } partial) continue;
            var data = await reader.ReadTileAsync(partial, cancellationToken).ConfigureAwait(false);
            if (data.Length != partial.HashTileByteLength)
                throw new InvalidDataException($"Tile {partial.Path} has {data.Length} bytes; a width-{partial.Width} hash tile has {partial.HashTileByteLength}.");
            Hash.FromTileBytes(data.Span).CopyTo(edge.Nodes);
            edge.Width = partial.Width;
        }
        tree.Size = size;
        tree._root = tree.ComputeRoot();
        if (tree._root != expectedRoot)
            throw new InvalidDataException($"The partial tiles of tree size {size} give root {tree._root.ToBase64()}, not the expected {expectedRoot.ToBase64()}.");
        return tree;
    }

    /// <summary>Appends a batch of leaf hashes and returns the new root and the changed tiles.</summary>
    public TreeUpdate Append(ReadOnlySpan<Hash> leafHashes)
    {
        var tiles = new List<Tile>();
        var size = Size.Grow((ulong)leafHashes.Length);
        var bottom = LevelAt(0);
        while (!leafHashes.IsEmpty)
        {
            // Fill the level-0 tile in bulk; only a completed tile costs interior hashing.
            var take = Math.Min(TileId.FullWidth - bottom.Width, leafHashes.Length);
            leafHashes[..take].CopyTo(bottom.Nodes.AsSpan(bottom.Width));
            bottom.Width += take;
            bottom.Dirty = true;
            leafHashes = leafHashes[take..];
            if (bottom.Width == TileId.FullWidth) CompleteTile(0, tiles);
        }
        for (var level = 0; level < _levels.Count; level++)
        {
            var edge = _levels[level];
            if (!edge.Dirty || edge.Width == 0) continue;
            var id = TileId.Hashes(level, edge.FullTiles, edge.Width);
            tiles.Add(new Tile(id, Hash.AsBytes(edge.Nodes.AsSpan(0, edge.Width)).ToArray()));
            edge.Dirty = false;
        }
        tiles.Sort(static (a, b) => a.Id.Level != b.Id.Level ? a.Id.Level.CompareTo(b.Id.Level) : a.Id.Index.CompareTo(b.Id.Index));
        Size = size;
        _root = ComputeRoot();
        return new TreeUpdate(Size, _root, tiles);
    }

    private void CompleteTile(int level, List<Tile> tiles)
    {
        var edge = _levels[level];
        tiles.Add(new Tile(TileId.Hashes(level, edge.FullTiles), Hash.AsBytes(edge.Nodes).ToArray()));
        var tileRoot = Rfc6962.HashPerfect(edge.Nodes, _scratch);
        edge.FullTiles++;
        edge.Width = 0;
        edge.Dirty = false;

        var parent = LevelAt(level + 1);
        parent.Nodes[parent.Width++] = tileRoot;
        parent.Dirty = true;
        if (parent.Width == TileId.FullWidth) CompleteTile(level + 1, tiles);
    }

    /// <summary>
    /// Folds the right edge: the perfect subtrees inside each partial tile, from the lowest
    /// (rightmost) level upwards, combined right to left as RFC 6962's MTH does.
    /// </summary>
    private Hash ComputeRoot()
    {
        Hash? accumulated = null;
        foreach (var edge in _levels)
        {
            var end = edge.Width;
            for (var bit = 0; bit < TileId.Height; bit++)
            {
                var span = 1 << bit;
                if ((edge.Width & span) == 0) continue;
                var subtree = Rfc6962.HashPerfect(edge.Nodes.AsSpan(end - span, span), _scratch);
                accumulated = accumulated is { } right ? Rfc6962.HashChildren(subtree, right) : subtree;
                end -= span;
            }
        }
        return accumulated ?? Rfc6962.EmptyTreeHash;
    }

    private LevelEdge LevelAt(int level)
    {
        while (_levels.Count <= level)
        {
            if (_levels.Count > TileId.MaxLevel) throw new InvalidOperationException("The tree has outgrown 64 tile levels.");
            _levels.Add(new LevelEdge());
        }
        return _levels[level];
    }

    /// <summary>The partially filled tile of one level.</summary>
    private sealed class LevelEdge
    {
        public readonly Hash[] Nodes = new Hash[TileId.FullWidth];
        public int Width;
        public ulong FullTiles;
        public bool Dirty;
    }
}
