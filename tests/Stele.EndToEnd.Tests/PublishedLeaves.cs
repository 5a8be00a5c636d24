using Stele.Reader.Sources;
using Stele.Tlog;
using Stele.Tlog.Tiles;

namespace Stele.EndToEnd.Tests;

/// <summary>The leaf records of a published log, read from its entry bundles (call after the log verified).</summary>
public static class PublishedLeaves
{
    public static async Task<List<byte[]>> ReadAsync(ILogSource source, TreeSize size)
    {
        var leaves = new List<byte[]>((int)size.Value);
        for (ulong tile = 0; tile * TileId.FullWidth < size.Value; tile++)
        {
            var width = (int)Math.Min(TileId.FullWidth, size.Value - tile * TileId.FullWidth);
            var path = TileId.Entries(tile, width).Path;
            var bundle = await source.TryReadAllAsync(path, 64L << 20) ?? throw new InvalidDataException($"{path} is missing");
            var entries = EntryBundle.Decode(bundle);
            if (entries.Count != width) throw new InvalidDataException($"{path} holds {entries.Count} entries, not {width}");
            leaves.AddRange(entries);
        }
        return leaves;
    }

    /// <summary>The size on a signed checkpoint's second line (the caller verifies the signature separately).</summary>
    public static ulong CheckpointSize(byte[]? checkpoint) =>
        checkpoint is null ? 0 : ulong.Parse(System.Text.Encoding.UTF8.GetString(checkpoint).Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
}
