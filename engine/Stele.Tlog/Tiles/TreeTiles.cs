namespace Stele.Tlog.Tiles;

/// <summary>Which hash tiles make up a tree of a given size (C2SP tlog-tiles "Partial Tiles").</summary>
public static class TreeTiles
{
    /// <summary>Number of tile levels a tree of this size uses (0 for the empty tree).</summary>
    public static int LevelCount(TreeSize size)
    {
        var levels = 0;
        for (var nodes = size.Value; nodes > 0; nodes >>= TileId.Height) levels++;
        return levels;
    }

    /// <summary>Nodes at tree level 8·<paramref name="level"/> that are complete in a tree of this size.</summary>
    public static ulong NodesAtTileLevel(TreeSize size, int level) =>
        level * TileId.Height >= 64 ? 0 : size.Value >> (level * TileId.Height);

    /// <summary>The partial tile at <paramref name="level"/> for this size, or null when that level has none.</summary>
    public static TileId? PartialTile(TreeSize size, int level)
    {
        var nodes = NodesAtTileLevel(size, level);
        var width = (int)(nodes % TileId.FullWidth);
        return width == 0 ? null : TileId.Hashes(level, nodes / TileId.FullWidth, width);
    }

    /// <summary>The tile (full or this size's partial) at <paramref name="level"/> that holds node <paramref name="nodeIndex"/>.</summary>
    public static TileId TileHolding(TreeSize size, int level, ulong nodeIndex)
    {
        var nodes = NodesAtTileLevel(size, level);
        if (nodeIndex >= nodes)
            throw new ArgumentOutOfRangeException(nameof(nodeIndex), nodeIndex, $"Level {level} of a tree of size {size} has only {nodes} complete nodes.");
        var tileIndex = nodeIndex / TileId.FullWidth;
        var fullTiles = nodes / TileId.FullWidth;
        return tileIndex < fullTiles
            ? TileId.Hashes(level, tileIndex)
            : TileId.Hashes(level, tileIndex, (int)(nodes % TileId.FullWidth));
    }

    /// <summary>Every hash tile (full tiles, then this size's partial tile, level by level) of a tree.</summary>
    public static IEnumerable<TileId> All(TreeSize size)
    {
        for (var level = 0; level < LevelCount(size); level++)
        {
            var nodes = NodesAtTileLevel(size, level);
            for (ulong n = 0; n < nodes / TileId.FullWidth; n++) yield return TileId.Hashes(level, n);
            if (PartialTile(size, level) is { } partial) yield return partial;
        }
    }
}
