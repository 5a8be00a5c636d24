using Stele.Crypto.Ed25519;

namespace Stele.Tlog.Notes;

/// <summary>
/// A trusted Ed25519 note key: its name, key ID and public key. Its string form is the verifier
/// key used by Go's sumdb/note and C2SP tools: <c>name+hash+base64(0x01 || public key)</c>.
/// </summary>
public sealed class NoteVerifierKey : IEquatable<NoteVerifierKey>
{
    public string Name { get; }

    /// <summary>First 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), big-endian.</summary>
    public uint KeyId { get; }

    public Ed25519PublicKey PublicKey { get; }

    private NoteVerifierKey(string name, uint keyId, Ed25519PublicKey publicKey)
    {
        Name = name;
        KeyId = keyId;
        PublicKey = publicKey;
    }

    public static NoteVerifierKey Create(string name, Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!NoteFormat.IsValidKeyName(name))
            throw new ArgumentException("A note key name must be non-empty and contain no spaces and no '+'.", nameof(name));
        return new NoteVerifierKey(name, NoteFormat.KeyId(name, NoteFormat.Ed25519Type, publicKey.AsSpan()), publicKey);
    }

    /// <summary>Parses <c>name+hash+base64(0x01 || key)</c> strictly; the hash must match the key.</summary>
    public static NoteVerifierKey Parse(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        var parts = verifierKey.Split('+', 3); // base64 may itself contain '+'
        if (parts.Length != 3) throw Malformed("it must have the form name+hash+key");
        var (name, hashText, keyText) = (parts[0], parts[1], parts[2]);
        if (!NoteFormat.IsValidKeyName(name)) throw Malformed("the name must be non-empty without spaces");
        if (!NoteFormat.TryParseKeyIdHex(hashText, out var keyId)) throw Malformed("the hash must be 8 lowercase hex digits");
        if (!NoteFormat.TryDecodeCanonicalBase64(keyText, out var key)) throw Malformed("the key is not canonical base64");
        if (key.Length == 0 || key[0] != NoteFormat.Ed25519Type) throw Malformed("only Ed25519 keys (type 0x01) are supported");
        if (key.Length != 1 + Ed25519PublicKey.Length) throw Malformed($"an Ed25519 key is {Ed25519PublicKey.Length} bytes after the type byte");
        var verifier = Create(name, Ed25519PublicKey.FromBytes(key.AsSpan(1)));
        if (verifier.KeyId != keyId) throw Malformed("the hash does not match the name and key");
        return verifier;
    }

    /// <summary>True when <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="text"/>.</summary>
    internal bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519Signature.Length && PublicKey.Verify(text, Ed25519Signature.FromBytes(signature));

    /// <summary>The verifier key string, <c>name+hash+base64(0x01 || public key)</c>.</summary>
    public override string ToString() =>
        $"{Name}+{NoteFormat.KeyIdHex(KeyId)}+{Convert.ToBase64String([NoteFormat.Ed25519Type, .. PublicKey.AsSpan()])}";

    public bool Equals(NoteVerifierKey? other) => other is not null && Name == other.Name && PublicKey == other.PublicKey;

    public override bool Equals(object? obj) => Equals(obj as NoteVerifierKey);

    public override int GetHashCode() => HashCode.Combine(Name, KeyId);

    private static FormatException Malformed(string reason) => new($"Malformed note verifier key: {reason}.");
}
