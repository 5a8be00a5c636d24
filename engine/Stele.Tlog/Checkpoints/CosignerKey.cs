using Stele.Crypto.Ed25519;
using Stele.Tlog.Notes;

namespace Stele.Tlog.Checkpoints;

/// <summary>
/// A trusted witness (cosigner) for C2SP tlog-cosignature v1 with Ed25519 (signature type 0x04).
/// Its string form is a verifier key with type 0x04: <c>name+hash+base64(0x04 || public key)</c>.
/// </summary>
public sealed class CosignerKey : IEquatable<CosignerKey>
{
    internal const byte Type = 0x04;

    public string Name { get; }

    /// <summary>First 4 bytes of SHA-256(name || 0x0A || 0x04 || public key), big-endian.</summary>
    public uint KeyId { get; }

    public Ed25519PublicKey PublicKey { get; }

    private CosignerKey(string name, Ed25519PublicKey publicKey)
    {
        Name = name;
        PublicKey = publicKey;
        KeyId = NoteFormat.KeyId(name, Type, publicKey.AsSpan());
    }

    public static CosignerKey Create(string name, Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!NoteFormat.IsValidKeyName(name))
            throw new ArgumentException("A cosigner name must be non-empty and contain no spaces and no '+'.", nameof(name));
        return new CosignerKey(name, publicKey);
    }

    /// <summary>Parses <c>name+hash+base64(0x04 || key)</c> strictly; the hash must match.</summary>
    public static CosignerKey Parse(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        var parts = verifierKey.Split('+', 3);
        if (parts.Length != 3) throw Malformed("it must have the form name+hash+key");
        if (!NoteFormat.IsValidKeyName(parts[0])) throw Malformed("the name must be non-empty without spaces");
        if (!NoteFormat.TryParseKeyIdHex(parts[1], out var keyId)) throw Malformed("the hash must be 8 lowercase hex digits");
        if (!NoteFormat.TryDecodeCanonicalBase64(parts[2], out var key)) throw Malformed("the key is not canonical base64");
        if (key.Length == 0 || key[0] != Type) throw Malformed("a cosigner key has type 0x04 (timestamped Ed25519)");
        if (key.Length != 1 + Ed25519PublicKey.Length) throw Malformed($"an Ed25519 key is {Ed25519PublicKey.Length} bytes after the type byte");
        var cosigner = new CosignerKey(parts[0], Ed25519PublicKey.FromBytes(key.AsSpan(1)));
        if (cosigner.KeyId != keyId) throw Malformed("the hash does not match the name and key");
        return cosigner;
    }

    public override string ToString() =>
        $"{Name}+{NoteFormat.KeyIdHex(KeyId)}+{Convert.ToBase64String([Type, .. PublicKey.AsSpan()])}";

    public bool Equals(CosignerKey? other) => other is not null && Name == other.Name && PublicKey == other.PublicKey;

    public override bool Equals(object? obj) => Equals(obj as CosignerKey);

    public override int GetHashCode() => HashCode.Combine(Name, KeyId);

    private static FormatException Malformed(string reason) => new($"Malformed cosigner key: {reason}.");
}
