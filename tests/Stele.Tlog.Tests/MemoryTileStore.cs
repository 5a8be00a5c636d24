using Stele.Tlog.Tiles;

namespace Stele.Tlog.Tests;

/// <summary>In-memory tiles for unit tests of the pure tree logic: keeps every tile version written, as a published log does.</summary>
internal sealed class MemoryTileStore : ITileReader
{
    public Dictionary<TileId, byte[]> Tiles { get; } = [];

    public int Reads { get; private set; }

    public void Write(TreeUpdate update)
    {
        foreach (var tile in update.Tiles) Tiles[tile.Id] = tile.Data.ToArray();
    }

    public ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileId tile, CancellationToken cancellationToken = default)
    {
        Reads++;
        return Tiles.TryGetValue(tile, out var data)
            ? ValueTask.FromResult<ReadOnlyMemory<byte>>(data)
            : ValueTask.FromException<ReadOnlyMemory<byte>>(new FileNotFoundException($"no tile {tile.Path}"));
    }
}
