namespace Stele.Tlog.Tiles;

/// <summary>
/// Reads published tile bytes by coordinate (from a directory, S3, HTTP…). Implementations
/// return the stored bytes as they are; callers check the length and, through proofs, the content.
/// </summary>
public interface ITileReader
{
    /// <summary>The bytes of <paramref name="tile"/>; throws (e.g. <see cref="FileNotFoundException"/>) if absent.</summary>
    ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileId tile, CancellationToken cancellationToken = default);
}
