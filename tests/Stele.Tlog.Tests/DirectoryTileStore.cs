using Stele.Tlog.Tiles;

namespace Stele.Tlog.Tests;

/// <summary>Tiles as files under a directory, laid out by their C2SP paths (what a static host serves).</summary>
internal sealed class DirectoryTileStore(string root) : ITileReader
{
    public void Write(TreeUpdate update)
    {
        foreach (var tile in update.Tiles)
        {
            var path = Path.Combine(root, tile.Id.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, tile.Data.ToArray());
        }
    }

    public string PathOf(TileId tile) => Path.Combine(root, tile.Path);

    public async ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileId tile, CancellationToken cancellationToken = default) =>
        await File.ReadAllBytesAsync(PathOf(tile), cancellationToken);
}
