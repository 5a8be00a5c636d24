using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Stele.Tlog;

/// <summary>RFC 6962 section 2.1 Merkle tree hashing with SHA-256 and domain separation.</summary>
// Every stack buffer here is fully written before it is read: skip zeroing them on the hot path.
[SkipLocalsInit]
public static class Rfc6962
{
    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;
    private const int StackLeafLimit = 1024;

    /// <summary>MTH({}) = SHA-256 of the empty string.</summary>
    public static Hash EmptyTreeHash { get; } = ComputeEmpty();

    /// <summary>Leaf hash: SHA-256(0x00 || data).</summary>
    public static Hash HashLeaf(ReadOnlySpan<byte> data)
    {
        var result = default(Hash);
        var destination = Hash.Writable(ref result);
        if (data.Length < StackLeafLimit)
        {
            Span<byte> input = stackalloc byte[StackLeafLimit];
            input[0] = LeafPrefix;
            data.CopyTo(input[1..]);
            SHA256.HashData(input[..(data.Length + 1)], destination);
        }
        else
        {
            var rented = ArrayPool<byte>.Shared.Rent(data.Length + 1);
            try
            {
                rented[0] = LeafPrefix;
                data.CopyTo(rented.AsSpan(1));
                SHA256.HashData(rented.AsSpan(0, data.Length + 1), destination);
            }
            finally { ArrayPool<byte>.Shared.Return(rented); }
        }
        return result;
    }

    /// <summary>Interior node hash: SHA-256(0x01 || left || right).</summary>
    public static Hash HashChildren(in Hash left, in Hash right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Hash.Length];
        input[0] = NodePrefix;
        left.Bytes.CopyTo(input[1..]);
        right.Bytes.CopyTo(input[(1 + Hash.Length)..]);
        var result = default(Hash);
        SHA256.HashData(input, Hash.Writable(ref result));
        return result;
    }

    /// <summary>
    /// Hash of the perfect subtree whose bottom row is <paramref name="nodes"/> (a power-of-two
    /// count), reduced pairwise in <paramref name="scratch"/> (at least half as long).
    /// </summary>
    internal static Hash HashPerfect(ReadOnlySpan<Hash> nodes, Span<Hash> scratch)
    {
        var count = nodes.Length;
        if (count == 0 || (count & (count - 1)) != 0)
            throw new ArgumentException($"A perfect subtree has a power-of-two width, not {count}.", nameof(nodes));
        if (count == 1) return nodes[0];
        for (var i = 0; i < count / 2; i++) scratch[i] = HashChildren(nodes[2 * i], nodes[2 * i + 1]);
        for (count /= 2; count > 1; count /= 2)
            for (var i = 0; i < count / 2; i++) scratch[i] = HashChildren(scratch[2 * i], scratch[2 * i + 1]);
        return scratch[0];
    }

    private static Hash ComputeEmpty()
    {
        var result = default(Hash);
        SHA256.HashData(ReadOnlySpan<byte>.Empty, Hash.Writable(ref result));
        return result;
    }
}
