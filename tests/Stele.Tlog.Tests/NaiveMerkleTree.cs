namespace Stele.Tlog.Tests;

/// <summary>
/// A deliberately simple RFC 6962 tree over all leaf hashes, straight from the RFC's recursive
/// definitions (MTH results are memoised only so large reference trees stay fast).
/// </summary>
internal sealed class NaiveMerkleTree(IReadOnlyList<Hash> leaves)
{
    private readonly Dictionary<(int, int), Hash> _memo = [];

    public Hash Root(int size) => size == 0 ? Rfc6962.EmptyTreeHash : Mth(0, size);

    public Hash Mth(int lo, int hi)
    {
        if (hi - lo == 1) return leaves[lo];
        if (_memo.TryGetValue((lo, hi), out var known)) return known;
        var k = Split(hi - lo);
        return _memo[(lo, hi)] = Rfc6962.HashChildren(Mth(lo, lo + k), Mth(lo + k, hi));
    }

    public List<Hash> Path(int m, int lo, int hi)
    {
        if (hi - lo == 1) return [];
        var k = Split(hi - lo);
        if (m < lo + k)
        {
            var path = Path(m, lo, lo + k);
            path.Add(Mth(lo + k, hi));
            return path;
        }
        var right = Path(m, lo + k, hi);
        right.Add(Mth(lo, lo + k));
        return right;
    }

    public List<Hash> Consistency(int m, int n) => m == n ? [] : SubProof(m, 0, n, true);

    private List<Hash> SubProof(int m, int lo, int hi, bool b)
    {
        var n = hi - lo;
        if (m == n) return b ? [] : [Mth(lo, hi)];
        var k = Split(n);
        List<Hash> proof;
        if (m <= k)
        {
            proof = SubProof(m, lo, lo + k, b);
            proof.Add(Mth(lo + k, hi));
        }
        else
        {
            proof = SubProof(m - k, lo + k, hi, false);
            proof.Add(Mth(lo, lo + k));
        }
        return proof;
    }

    /// <summary>The expected bytes of every hash tile of a tree of <paramref name="size"/>, straight from the C2SP formula.</summary>
    public byte[] TileBytes(Tiles.TileId tile)
    {
        var bytes = new List<byte>();
        var span = 1 << (8 * tile.Level);
        for (var i = 0; i < tile.Width; i++)
        {
            var start = ((int)tile.Index * 256 + i) * span;
            bytes.AddRange(Mth(start, start + span).Bytes.ToArray());
        }
        return [.. bytes];
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }
}
