using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Stele.Tlog;

/// <summary>
/// A 32-byte SHA-256 Merkle tree hash (leaf, interior node or root), stored inline so arrays
/// of hashes are flat memory that can be written out as a tile without conversion.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Length)]
public readonly struct Hash : IEquatable<Hash>
{
    public const int Length = 32;

    private readonly HashBytes _bytes;

    private Hash(HashBytes bytes) => _bytes = bytes;

    /// <summary>The 32 bytes of this hash, without copying.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => _bytes;

    public static Hash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"A tree hash is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        var copy = default(HashBytes);
        bytes.CopyTo(copy);
        return new Hash(copy);
    }

    public static Hash FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 2 * Length)
            throw new FormatException($"A tree hash in hex is {2 * Length} digits, not {hex.Length}.");
        return FromBytes(Convert.FromHexString(hex));
    }

    /// <summary>Parses standard (RFC 4648 section 4) base64 of exactly 32 bytes.</summary>
    public static Hash FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        Span<byte> buffer = stackalloc byte[Length + 3];
        if (!Convert.TryFromBase64String(base64, buffer, out var written) || written != Length || base64.Length != 44)
            throw new FormatException("A tree hash in base64 must be 44 characters encoding exactly 32 bytes.");
        return FromBytes(buffer[..Length]);
    }

    public string ToBase64() => Convert.ToBase64String(Bytes);

    public string ToHex() => Convert.ToHexStringLower(Bytes);

    /// <summary>Reinterprets a run of hashes as their bytes (for writing tiles).</summary>
    public static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<Hash> hashes) => MemoryMarshal.AsBytes(hashes);

    /// <summary>Reinterprets tile bytes as hashes; the length must be a multiple of 32.</summary>
    public static ReadOnlySpan<Hash> FromTileBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Length != 0)
            throw new ArgumentException($"Tile data must be a whole number of {Length}-byte hashes; got {bytes.Length} bytes.", nameof(bytes));
        return MemoryMarshal.Cast<byte, Hash>(bytes);
    }

    /// <summary>Writable view used only by the hashing code to fill a hash in place.</summary>
    internal static Span<byte> Writable(ref Hash hash) => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref hash, 1));

    public bool Equals(Hash other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is Hash other && Equals(other);

    public override int GetHashCode() => MemoryMarshal.Read<int>(Bytes);

    public static bool operator ==(Hash left, Hash right) => left.Equals(right);

    public static bool operator !=(Hash left, Hash right) => !left.Equals(right);

    public override string ToString() => ToHex();

    [InlineArray(Length)]
    private struct HashBytes
    {
        private byte _first;
    }
}
