using Stele.Crypto.Blake3;

namespace Stele.Broker.Batching;

/// <summary>
/// The batch tree of docs/log-format.md (leaf = B3(0x00 || descriptor), node = B3(0x01 || l || r),
/// RFC 6962 shape) in one reusable flat array of levels, so that building it and writing audit paths
/// into datagrams allocates nothing. Same roots and paths as Stele.Domain's BatchTree (tests check).
/// </summary>
internal sealed class FlatBatchTree
{
    private const int H = Blake3Hash.Length;
    private readonly byte[] _nodes;
    private readonly int[] _levelStart = new int[18];
    private readonly int[] _levelSize = new int[18];
    private int _levels;

    public FlatBatchTree(int capacity) => _nodes = new byte[2 * capacity * H + H];

    public int Count => _levels == 0 ? 0 : _levelSize[0];

    /// <summary>Hashes leaf <paramref name="index"/> from its descriptor bytes; call for every leaf, then <see cref="Complete"/>.</summary>
    public void SetLeaf(int index, ReadOnlySpan<byte> descriptor)
    {
        Span<byte> input = stackalloc byte[1 + Batch.DescriptorMaxLength];
        input[0] = 0x00;
        descriptor.CopyTo(input[1..]);
        Blake3.Hash(input[..(1 + descriptor.Length)], _nodes.AsSpan(index * H, H));
    }

    /// <summary>Builds the levels above <paramref name="leaves"/> leaves and writes the root.</summary>
    public void Complete(int leaves, Span<byte> root)
    {
        if (leaves <= 0) throw new ArgumentOutOfRangeException(nameof(leaves));
        _levels = 1;
        _levelStart[0] = 0;
        _levelSize[0] = leaves;
        Span<byte> input = stackalloc byte[1 + 2 * H];
        input[0] = 0x01;
        while (_levelSize[_levels - 1] > 1)
        {
            int below = _levelStart[_levels - 1], belowSize = _levelSize[_levels - 1];
            int above = below + belowSize * H, aboveSize = (belowSize + 1) / 2;
            for (var i = 0; i < aboveSize; i++)
            {
                var target = _nodes.AsSpan(above + i * H, H);
                if (2 * i + 1 < belowSize)
                {
                    _nodes.AsSpan(below + 2 * i * H, 2 * H).CopyTo(input[1..]);
                    Blake3.Hash(input, target);
                }
                else
                {
                    _nodes.AsSpan(below + 2 * i * H, H).CopyTo(target); // a lone last node is promoted (RFC 6962 split)
                }
            }
            _levelStart[_levels] = above;
            _levelSize[_levels] = aboveSize;
            _levels++;
        }
        _nodes.AsSpan(_levelStart[_levels - 1], H).CopyTo(root);
    }

    /// <summary>Writes the audit path of leaf <paramref name="index"/> (leaf to root); returns the number of hashes.</summary>
    public int WriteProof(int index, Span<byte> destination)
    {
        var written = 0;
        for (var level = 0; level < _levels - 1; level++)
        {
            var sibling = index ^ 1;
            if (sibling < _levelSize[level])
            {
                _nodes.AsSpan(_levelStart[level] + sibling * H, H).CopyTo(destination[(written * H)..]);
                written++;
            }
            index >>= 1;
        }
        return written;
    }
}
