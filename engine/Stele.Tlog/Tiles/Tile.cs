namespace Stele.Tlog.Tiles;

/// <summary>A tile's coordinates and its bytes (a hash tile is Width × 32 bytes).</summary>
public sealed record Tile(TileId Id, ReadOnlyMemory<byte> Data)
{
    public override string ToString() => $"{Id.Path} ({Data.Length} bytes)";
}
