using System.Numerics;
using Stele.Tlog.Tiles;

namespace Stele.Tlog.Proofs;

/// <summary>
/// Reads complete-subtree hashes of one tree size from its tiles, rebuilding the levels between
/// tile rows by hashing, and caching tiles and the nodes it hashed for the duration of one request
/// (many proofs against one size, e.g. a batch's, then share every node they have in common).
/// </summary>
internal sealed class TileNodeReader(ITileReader reader, TreeSize size)
{
    private readonly Dictionary<TileId, Hash[]> _tiles = [];
    private readonly Dictionary<(int Level, ulong Index), Hash> _nodes = [];
    private readonly Hash[] _scratch = new Hash[TileId.FullWidth / 2];

    public TreeSize Size => size;

    /// <summary>MTH(D[start:end]) for a range whose start is aligned as in RFC 6962's recursion.</summary>
    public async ValueTask<Hash> RangeHashAsync(ulong start, ulong end, CancellationToken cancellationToken)
    {
        if (start >= end || end > size.Value)
            throw new ArgumentOutOfRangeException(nameof(end), $"Leaf range [{start}, {end}) is not inside a tree of size {size}.");
        // Largest perfect subtree first; fold right to left.
        var pieces = new List<Hash>();
        for (var cursor = start; cursor < end;)
        {
            var level = BitOperations.Log2(end - cursor);
            var trailing = cursor == 0 ? 63 : BitOperations.TrailingZeroCount(cursor);
            level = Math.Min(level, trailing);
            pieces.Add(await NodeAsync(level, cursor >> level, cancellationToken).ConfigureAwait(false));
            cursor += 1UL << level;
        }
        var hash = pieces[^1];
        for (var i = pieces.Count - 2; i >= 0; i--) hash = Rfc6962.HashChildren(pieces[i], hash);
        return hash;
    }

    /// <summary>The hash of the perfect subtree at tree <paramref name="level"/>, position <paramref name="index"/>.</summary>
    public async ValueTask<Hash> NodeAsync(int level, ulong index, CancellationToken cancellationToken)
    {
        if (_nodes.TryGetValue((level, index), out var known)) return known;
        var tileLevel = level / TileId.Height;
        var within = level % TileId.Height;
        var first = index << within;
        var count = 1 << within;
        var tile = TreeTiles.TileHolding(size, tileLevel, first + (ulong)count - 1);
        var nodes = await ReadAsync(tile, cancellationToken).ConfigureAwait(false);
        var offset = (int)(first % TileId.FullWidth);
        var hash = Rfc6962.HashPerfect(nodes.AsSpan(offset, count), _scratch);
        _nodes[(level, index)] = hash;
        return hash;
    }

    private async ValueTask<Hash[]> ReadAsync(TileId tile, CancellationToken cancellationToken)
    {
        if (_tiles.TryGetValue(tile, out var cached)) return cached;
        var data = await reader.ReadTileAsync(tile, cancellationToken).ConfigureAwait(false);
        if (data.Length != tile.HashTileByteLength)
            throw new InvalidDataException($"Tile {tile.Path} has {data.Length} bytes; a width-{tile.Width} hash tile has {tile.HashTileByteLength}.");
        var nodes = Hash.FromTileBytes(data.Span).ToArray();
        _tiles[tile] = nodes;
        return nodes;
    }
}
