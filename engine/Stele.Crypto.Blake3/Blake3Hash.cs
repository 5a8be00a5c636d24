using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Stele.Crypto.Blake3;

/// <summary>A 32-byte BLAKE3 digest. Compares in constant time; prints as lowercase hex.</summary>
public readonly struct Blake3Hash : IEquatable<Blake3Hash>
{
    public const int Length = 32;

    private readonly Bytes32 _bytes;

    [InlineArray(Length)]
    private struct Bytes32
    {
        private byte _element;
    }

    private Blake3Hash(Bytes32 bytes) => _bytes = bytes;

    /// <summary>Wraps exactly 32 bytes.</summary>
    public static Blake3Hash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"A BLAKE3 hash is {Length} bytes, got {bytes.Length}.", nameof(bytes));
        var copy = new Bytes32();
        bytes.CopyTo(copy);
        return new Blake3Hash(copy);
    }

    /// <summary>Parses 64 hex digits (either case).</summary>
    public static Blake3Hash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 2 * Length)
            throw new FormatException($"A BLAKE3 hash is {2 * Length} hex digits, got {hex.Length} characters.");
        return FromBytes(Convert.FromHexString(hex));
    }

    /// <summary>The digest bytes, read-only, without copying.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    public void CopyTo(Span<byte> destination) => AsSpan().CopyTo(destination);

    public byte[] ToArray() => AsSpan().ToArray();

    public bool Equals(Blake3Hash other) => CryptographicOperations.FixedTimeEquals(AsSpan(), other.AsSpan());

    public override bool Equals(object? obj) => obj is Blake3Hash other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(AsSpan());

    public static bool operator ==(Blake3Hash left, Blake3Hash right) => left.Equals(right);

    public static bool operator !=(Blake3Hash left, Blake3Hash right) => !left.Equals(right);

    public override string ToString() => Convert.ToHexStringLower(AsSpan());
}
