using Stele.Storage;
using Stele.Tlog.Tiles;

namespace Stele.Api;

/// <summary>Reads published hash tiles from the object store, for inclusion proofs.</summary>
internal sealed class StorageTileReader(IObjectStore storage) : ITileReader
{
    public async ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileId tile, CancellationToken cancellationToken = default) =>
        await storage.GetBytesAsync(TilePath.Format(tile), cancellationToken).ConfigureAwait(false);
}
