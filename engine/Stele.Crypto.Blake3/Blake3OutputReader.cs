using Stele.Crypto.Blake3.Internal;

namespace Stele.Crypto.Blake3;

/// <summary>
/// BLAKE3's extendable output: an endless, seekable byte stream from a finalized hash.
/// Reading n bytes at position p gives the same bytes as a one-shot output of length p + n.
/// </summary>
public sealed class Blake3OutputReader
{
    private readonly OutputNode _root;

    internal Blake3OutputReader(in OutputNode root) => _root = root;

    /// <summary>Offset of the next byte <see cref="Read"/> returns; set it to seek.</summary>
    public ulong Position { get; set; }

    /// <summary>Fills <paramref name="destination"/> and advances <see cref="Position"/>.</summary>
    public void Read(Span<byte> destination)
    {
        if (ulong.MaxValue - Position < (ulong)destination.Length)
            throw new InvalidOperationException("BLAKE3 output ends at 2^64 bytes.");
        _root.RootBytes(Position, destination);
        Position += (ulong)destination.Length;
    }

    /// <summary>Reads <paramref name="count"/> bytes into a new array.</summary>
    public byte[] Read(int count)
    {
        var bytes = new byte[count];
        Read(bytes);
        return bytes;
    }

    public override string ToString() => $"Blake3OutputReader(Position={Position})";
}
