namespace Stele.Crypto.Ed25519;

/// <summary>A 64-byte Ed25519 signature (R || S). Immutable, compared by value.</summary>
public sealed class Ed25519Signature : IEquatable<Ed25519Signature>
{
    public const int Length = LibSodium.SignatureBytes;

    private readonly byte[] _bytes;

    internal Ed25519Signature(byte[] bytes) => _bytes = bytes;

    /// <summary>Copies a 64-byte signature.</summary>
    public static Ed25519Signature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"An Ed25519 signature is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        return new Ed25519Signature(bytes.ToArray());
    }

    public ReadOnlySpan<byte> AsSpan() => _bytes;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    public bool Equals(Ed25519Signature? other) =>
        other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Ed25519Signature);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
