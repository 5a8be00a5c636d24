using System.Numerics;
using Stele.Tlog.Tiles;

namespace Stele.Tlog.Proofs;

/// <summary>
/// RFC 6962 / RFC 9162 proofs and tree hashes computed from published tiles. The results are only
/// as good as the tiles: check them with <see cref="MerkleVerifier"/> against a verified checkpoint.
/// </summary>
public static class TileProofs
{
    /// <summary>MTH of the first <paramref name="size"/> leaves (SHA-256("") for the empty tree).</summary>
    public static async Task<Hash> TreeHashAsync(ITileReader tiles, TreeSize size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (size.IsEmpty) return Rfc6962.EmptyTreeHash;
        return await new TileNodeReader(tiles, size).RangeHashAsync(0, size.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The audit path (RFC 6962 section 2.1.1) of leaf <paramref name="index"/> in a tree of <paramref name="size"/>.</summary>
    public static async Task<Hash[]> InclusionProofAsync(ITileReader tiles, LeafIndex index, TreeSize size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (!size.Contains(index))
            throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of size {size}.");
        var reader = new TileNodeReader(tiles, size);
        var proof = new List<Hash>();
        await PathAsync(reader, index.Value, 0, size.Value, proof, cancellationToken).ConfigureAwait(false);
        return [.. proof];
    }

    /// <summary>
    /// The audit paths of many leaves in one tree of <paramref name="size"/> (a batch's entries): they
    /// share one tile read and one hash computation for every node they have in common.
    /// </summary>
    public static async Task<Hash[][]> InclusionProofsAsync(ITileReader tiles, IReadOnlyList<LeafIndex> indices, TreeSize size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(indices);
        var reader = new TileNodeReader(tiles, size);
        var proofs = new Hash[indices.Count][];
        for (var i = 0; i < proofs.Length; i++)
        {
            if (!size.Contains(indices[i]))
                throw new ArgumentOutOfRangeException(nameof(indices), $"Leaf {indices[i]} is not in a tree of size {size}.");
            var proof = new List<Hash>();
            await PathAsync(reader, indices[i].Value, 0, size.Value, proof, cancellationToken).ConfigureAwait(false);
            proofs[i] = [.. proof];
        }
        return proofs;
    }

    /// <summary>
    /// The consistency proof (RFC 6962 section 2.1.2) from <paramref name="oldSize"/> to <paramref name="newSize"/>,
    /// built from the tiles of the new size. Requires 0 &lt; oldSize ≤ newSize (empty when equal).
    /// </summary>
    public static async Task<Hash[]> ConsistencyProofAsync(ITileReader tiles, TreeSize oldSize, TreeSize newSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (oldSize.IsEmpty)
            throw new ArgumentOutOfRangeException(nameof(oldSize), "There is no consistency proof from the empty tree; every tree extends it.");
        if (oldSize > newSize)
            throw new ArgumentOutOfRangeException(nameof(oldSize), $"Old size {oldSize} is larger than new size {newSize}.");
        var proof = new List<Hash>();
        if (oldSize == newSize) return [];
        var reader = new TileNodeReader(tiles, newSize);
        await SubProofAsync(reader, oldSize.Value, 0, newSize.Value, true, proof, cancellationToken).ConfigureAwait(false);
        return [.. proof];
    }

    // PATH(m, D[lo:hi]) — nodes are appended bottom-up, as the RFC orders them.
    private static async ValueTask PathAsync(TileNodeReader reader, ulong m, ulong lo, ulong hi, List<Hash> proof, CancellationToken ct)
    {
        if (hi - lo == 1) return;
        var k = LargestPowerOfTwoBelow(hi - lo);
        if (m < lo + k)
        {
            await PathAsync(reader, m, lo, lo + k, proof, ct).ConfigureAwait(false);
            proof.Add(await reader.RangeHashAsync(lo + k, hi, ct).ConfigureAwait(false));
        }
        else
        {
            await PathAsync(reader, m, lo + k, hi, proof, ct).ConfigureAwait(false);
            proof.Add(await reader.RangeHashAsync(lo, lo + k, ct).ConfigureAwait(false));
        }
    }

    // SUBPROOF(m, D[lo:hi], b) with m counted from lo.
    private static async ValueTask SubProofAsync(TileNodeReader reader, ulong m, ulong lo, ulong hi, bool startsAtOldRoot, List<Hash> proof, CancellationToken ct)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!startsAtOldRoot) proof.Add(await reader.RangeHashAsync(lo, hi, ct).ConfigureAwait(false));
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            await SubProofAsync(reader, m, lo, lo + k, startsAtOldRoot, proof, ct).ConfigureAwait(false);
            proof.Add(await reader.RangeHashAsync(lo + k, hi, ct).ConfigureAwait(false));
        }
        else
        {
            await SubProofAsync(reader, m - k, lo + k, hi, false, proof, ct).ConfigureAwait(false);
            proof.Add(await reader.RangeHashAsync(lo, lo + k, ct).ConfigureAwait(false));
        }
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2).</summary>
    internal static ulong LargestPowerOfTwoBelow(ulong n) => 1UL << BitOperations.Log2(n - 1);
}
