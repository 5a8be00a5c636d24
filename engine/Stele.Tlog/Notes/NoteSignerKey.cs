using Stele.Crypto.Ed25519;

namespace Stele.Tlog.Notes;

/// <summary>
/// An Ed25519 note signing key with its name. Its key-file form is Go's signer key,
/// <c>PRIVATE+KEY+name+hash+base64(0x01 || seed)</c>, available only through
/// <see cref="ExportPrivateKey"/>. Dispose to wipe the secret.
/// </summary>
public sealed class NoteSignerKey : IDisposable
{
    private const string PrivateKeyPrefix = "PRIVATE+KEY+";

    private readonly Ed25519SecretKey _secret;

    public string Name => Verifier.Name;

    public uint KeyId => Verifier.KeyId;

    /// <summary>The matching public verifier key.</summary>
    public NoteVerifierKey Verifier { get; }

    private NoteSignerKey(string name, Ed25519SecretKey secret)
    {
        _secret = secret;
        Verifier = NoteVerifierKey.Create(name, secret.PublicKey);
    }

    /// <summary>Wraps an existing Ed25519 key; the signer key takes ownership and disposes it.</summary>
    public static NoteSignerKey Create(string name, Ed25519SecretKey secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new NoteSignerKey(name, secret);
    }

    public static NoteSignerKey Generate(string name)
    {
        var secret = Ed25519SecretKey.Generate();
        try { return new NoteSignerKey(name, secret); }
        catch { secret.Dispose(); throw; }
    }

    /// <summary>Parses <c>PRIVATE+KEY+name+hash+base64(0x01 || seed)</c>; the hash must match the derived public key.</summary>
    public static NoteSignerKey Parse(string signerKey)
    {
        ArgumentNullException.ThrowIfNull(signerKey);
        if (!signerKey.StartsWith(PrivateKeyPrefix, StringComparison.Ordinal)) throw Malformed("it must start with PRIVATE+KEY+");
        var parts = signerKey[PrivateKeyPrefix.Length..].Split('+', 3); // base64 may itself contain '+'
        if (parts.Length != 3) throw Malformed("it must have the form PRIVATE+KEY+name+hash+key");
        if (!NoteFormat.IsValidKeyName(parts[0])) throw Malformed("the name must be non-empty without spaces");
        if (!NoteFormat.TryParseKeyIdHex(parts[1], out var keyId)) throw Malformed("the hash must be 8 lowercase hex digits");
        if (!NoteFormat.TryDecodeCanonicalBase64(parts[2], out var key)) throw Malformed("the key is not canonical base64");
        try
        {
            if (key.Length == 0 || key[0] != NoteFormat.Ed25519Type) throw Malformed("only Ed25519 keys (type 0x01) are supported");
            if (key.Length != 1 + Ed25519SecretKey.SeedLength) throw Malformed($"an Ed25519 seed is {Ed25519SecretKey.SeedLength} bytes after the type byte");
            var signer = new NoteSignerKey(parts[0], Ed25519SecretKey.FromSeed(key.AsSpan(1)));
            if (signer.KeyId != keyId)
            {
                signer.Dispose();
                throw Malformed("the hash does not match the name and key");
            }
            return signer;
        }
        finally
        {
            Array.Clear(key);
        }
    }

    /// <summary>Signs <paramref name="text"/> (the UTF-8 note text, ending in a newline).</summary>
    internal byte[] Sign(ReadOnlySpan<byte> text)
    {
        var signature = new byte[Ed25519Signature.Length];
        _secret.Sign(text, signature);
        return signature;
    }

    /// <summary>The secret key-file string. Handle it as the secret it is; never log it.</summary>
    public string ExportPrivateKey()
    {
        var key = new byte[1 + Ed25519SecretKey.SeedLength];
        try
        {
            key[0] = NoteFormat.Ed25519Type;
            _secret.ExportSeed(key.AsSpan(1));
            return $"{PrivateKeyPrefix}{Name}+{NoteFormat.KeyIdHex(KeyId)}+{Convert.ToBase64String(key)}";
        }
        finally
        {
            Array.Clear(key);
        }
    }

    public void Dispose() => _secret.Dispose();

    public override string ToString() => $"NoteSignerKey({Name}, ***)";

    private static FormatException Malformed(string reason) => new($"Malformed note signer key: {reason}.");
}
