using Stele.Storage;
using Stele.Tlog.Tiles;

namespace Stele.Projections.Publishing;

/// <summary>Reads published tiles back from the object store (to resume the tree).</summary>
public sealed class StoreTileReader(IObjectStore store) : ITileReader
{
    public async ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileId tile, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.GetBytesAsync(tile.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            throw new FileNotFoundException($"tile {tile.Path} is missing from {store.Location}");
        }
    }
}
