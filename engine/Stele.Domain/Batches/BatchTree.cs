using Stele.Crypto.Blake3;
using Stele.Domain.Content;

namespace Stele.Domain.Batches;

/// <summary>
/// The batch tree: RFC 6962's shape over BLAKE3 (leaf = B3(0x00 || descriptor), node =
/// B3(0x01 || left || right)), over descriptors in canonical order. The broker sends each client
/// an inclusion proof against the root it then signs.
/// </summary>
public sealed class BatchTree
{
    public const int MaxEntries = 65_536;
    private readonly Blake3Hash[][] _levels;

    private BatchTree(Blake3Hash[][] levels) => _levels = levels;

    public int Count => _levels[0].Length;

    public BatchRoot Root => new(_levels[^1][0]);

    /// <summary>Builds the tree; the descriptors must already be in canonical order with no duplicates.</summary>
    public static BatchTree Build(IReadOnlyList<EntryDescriptor> canonical)
    {
        if (canonical.Count is 0 or > MaxEntries)
            throw new ArgumentException($"A batch has 1 to {MaxEntries} entries, not {canonical.Count}.", nameof(canonical));
        var leaves = new Blake3Hash[canonical.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            if (i > 0 && EntryDescriptor.CompareCanonical(canonical[i - 1], canonical[i]) >= 0)
                throw new ArgumentException($"Batch entries must be in strictly ascending (client, sequence) order; entry {i} is not.", nameof(canonical));
            leaves[i] = LeafHash(canonical[i]);
        }
        return new BatchTree(BuildLevels(leaves));
    }

    public static Blake3Hash LeafHash(EntryDescriptor descriptor)
    {
        var bytes = descriptor.ToBytes();
        Span<byte> input = stackalloc byte[bytes.Length + 1];
        input[0] = 0x00;
        bytes.CopyTo(input[1..]);
        return Blake3.Hash(input);
    }

    public static Blake3Hash NodeHash(Blake3Hash left, Blake3Hash right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Blake3Hash.Length];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Blake3Hash.Length)..]);
        return Blake3.Hash(input);
    }

    /// <summary>The audit path for entry <paramref name="index"/>, leaf to root (RFC 6962 §2.1.1 shape).</summary>
    public Blake3Hash[] InclusionProof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var proof = new List<Blake3Hash>();
        // Levels are built by pairing left to right and promoting a lone last node, which yields
        // exactly RFC 6962's largest-power-of-two split.
        for (var level = 0; level < _levels.Length - 1; level++)
        {
            var sibling = index ^ 1;
            if (sibling < _levels[level].Length) proof.Add(_levels[level][sibling]);
            index >>= 1;
        }
        return [.. proof];
    }

    /// <summary>Recomputes the root from a leaf and its audit path; false on any mismatch.</summary>
    public static bool VerifyInclusion(EntryDescriptor descriptor, int index, int count, ReadOnlySpan<Blake3Hash> proof, BatchRoot root)
    {
        if (index < 0 || index >= count || count > MaxEntries) return false;
        var hash = LeafHash(descriptor);
        var used = 0;
        int levelSize = count, position = index;
        while (levelSize > 1)
        {
            var sibling = position ^ 1;
            if (sibling < levelSize)
            {
                if (used >= proof.Length) return false;
                hash = (position & 1) == 0 ? NodeHash(hash, proof[used]) : NodeHash(proof[used], hash);
                used++;
            }
            position >>= 1;
            levelSize = (levelSize + 1) >> 1;
        }
        return used == proof.Length && hash.Equals(root.Hash);
    }

    private static Blake3Hash[][] BuildLevels(Blake3Hash[] leaves)
    {
        var levels = new List<Blake3Hash[]> { leaves };
        while (levels[^1].Length > 1)
        {
            var below = levels[^1];
            var above = new Blake3Hash[(below.Length + 1) / 2];
            for (var i = 0; i < above.Length; i++)
                above[i] = 2 * i + 1 < below.Length ? NodeHash(below[2 * i], below[2 * i + 1]) : below[2 * i];
            levels.Add(above);
        }
        return [.. levels];
    }
}
