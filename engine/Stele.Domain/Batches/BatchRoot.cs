using Stele.Crypto.Blake3;

namespace Stele.Domain.Batches;

/// <summary>The BLAKE3 Merkle root of a batch's descriptors in canonical order.</summary>
public readonly record struct BatchRoot(Blake3Hash Hash)
{
    public const int Length = Blake3Hash.Length;

    public static BatchRoot FromBytes(ReadOnlySpan<byte> bytes) => new(Blake3Hash.FromBytes(bytes));

    public void CopyTo(Span<byte> destination) => Hash.CopyTo(destination);

    public override string ToString() => Hash.ToString();
}
