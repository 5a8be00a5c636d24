using Stele.Tlog.Tiles;

namespace Stele.Reader.Sources;

/// <summary>
/// Serves the tiles of an older, smaller tree from the published tiles of a larger one: a partial tile
/// of the old size is the first hashes of the tile at the same coordinates in the new tree, since
/// complete subtrees never change. Old partial tiles need not be published.
/// </summary>
public sealed class PrefixTileReader(ITileReader inner, Tlog.TreeSize publishedSize) : ITileReader
{
    public async ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileId tile, CancellationToken cancellationToken = default)
    {
        if (!tile.IsPartial || tile.Kind != TileKind.Hashes) return await inner.ReadTileAsync(tile, cancellationToken).ConfigureAwait(false);
        var nodes = TreeTiles.NodesAtTileLevel(publishedSize, tile.Level);
        var full = nodes / TileId.FullWidth;
        var published = tile.Index < full ? TileId.Hashes(tile.Level, tile.Index) : TileId.Hashes(tile.Level, tile.Index, (int)Math.Max(1, nodes % TileId.FullWidth));
        var data = await inner.ReadTileAsync(published, cancellationToken).ConfigureAwait(false);
        return data.Length >= tile.HashTileByteLength ? data[..tile.HashTileByteLength] : data;
    }
}
