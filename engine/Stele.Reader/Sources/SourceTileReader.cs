using Stele.Tlog.Tiles;

namespace Stele.Reader.Sources;

/// <summary>Stele.Tlog's tile reader over a log source (for proofs from tiles).</summary>
public sealed class SourceTileReader(ILogSource source) : ITileReader
{
    public async ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileId tile, CancellationToken cancellationToken = default) =>
        await source.TryReadAllAsync(tile.Path, LogLimits.MaxTileBytes, cancellationToken).ConfigureAwait(false)
        ?? throw new FileNotFoundException($"{source.Location}: missing {tile.Path}", tile.Path);
}
