namespace Stele.Crypto.Ed25519;

/// <summary>A 32-byte Ed25519 public key (RFC 8032 encoding). Immutable, compared by value.</summary>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    public const int Length = LibSodium.PublicKeyBytes;

    private readonly byte[] _bytes;

    private Ed25519PublicKey(byte[] bytes) => _bytes = bytes;

    /// <summary>Copies a 32-byte encoded public key.</summary>
    public static Ed25519PublicKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"An Ed25519 public key is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        return new Ed25519PublicKey(bytes.ToArray());
    }

    /// <summary>Parses 64 hexadecimal digits.</summary>
    public static Ed25519PublicKey FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 2 * Length)
            throw new ArgumentException($"An Ed25519 public key is {2 * Length} hex digits, not {hex.Length}.", nameof(hex));
        try
        {
            return new Ed25519PublicKey(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new ArgumentException("An Ed25519 public key in hex may contain only 0-9, a-f and A-F.", nameof(hex));
        }
    }

    public ReadOnlySpan<byte> AsSpan() => _bytes;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>
    /// True when <paramref name="signature"/> is a valid RFC 8032 signature of <paramref name="message"/>
    /// under this key. libsodium rejects non-canonical encodings and small-order keys.
    /// </summary>
    public unsafe bool Verify(ReadOnlySpan<byte> message, Ed25519Signature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        LibSodium.EnsureInitialized();
        fixed (byte* m = message)
        fixed (byte* s = signature.AsSpan())
        fixed (byte* pk = _bytes)
        {
            return LibSodium.crypto_sign_ed25519_verify_detached(s, m, (ulong)message.Length, pk) == 0;
        }
    }

    public bool Equals(Ed25519PublicKey? other) =>
        other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    public static bool operator ==(Ed25519PublicKey? left, Ed25519PublicKey? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(Ed25519PublicKey? left, Ed25519PublicKey? right) => !(left == right);

    /// <summary>Lowercase hex of the 32 key bytes.</summary>
    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
