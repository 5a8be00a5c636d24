using System.Security.Cryptography;
using System.Text.Json;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Client;

/// <summary>
/// A client's two key pairs: Ed25519 for individual signatures, BLS12-381 for aggregatable ones,
/// with the BLS proof of possession and the derived <see cref="ClientId"/>. Secrets never print,
/// and are wiped on <see cref="Dispose"/>. Saved files are owner-only (0600); loading refuses
/// files that group or others can read.
/// </summary>
public sealed class ClientKeys : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private ClientKeys(Ed25519SecretKey ed25519, BlsSecretKey bls, BlsProofOfPossession pop, SequenceCounter sequences)
    {
        Ed25519 = ed25519;
        Bls = bls;
        BlsPublicKey = bls.PublicKey;
        ProofOfPossession = pop;
        Client = ClientId.FromKeys(ed25519.PublicKey, BlsPublicKey);
        Sequences = sequences;
    }

    public ClientId Client { get; }

    public Ed25519PublicKey Ed25519PublicKey => Ed25519.PublicKey;

    public BlsPublicKey BlsPublicKey { get; }

    public BlsProofOfPossession ProofOfPossession { get; }

    /// <summary>Where this client's next sequence number comes from (a file beside the key file, or memory).</summary>
    public SequenceCounter Sequences { get; }

    internal Ed25519SecretKey Ed25519 { get; }

    internal BlsSecretKey Bls { get; }

    /// <summary>Fresh keys held in memory, with an in-memory sequence counter.</summary>
    public static ClientKeys Generate()
    {
        var bls = BlsSecretKey.Generate();
        return new ClientKeys(Ed25519SecretKey.Generate(), bls, bls.ProvePossession(), SequenceCounter.InMemory());
    }

    /// <summary>The Ed25519 self-signature over the registration message for <paramref name="origin"/>.</summary>
    public Ed25519Signature SignRegistration(LogOrigin origin) =>
        Ed25519.Sign(SigningMessages.Registration(origin, Client, Ed25519.PublicKey, BlsPublicKey));

    /// <summary>Signs any message with the Ed25519 key (entry and batch messages come from <see cref="SigningMessages"/>).</summary>
    public Ed25519Signature SignEd25519(ReadOnlySpan<byte> message) => Ed25519.Sign(message);

    /// <summary>Signs with the BLS key (a distilled batch's message).</summary>
    public BlsSignature SignBls(ReadOnlySpan<byte> message) => Bls.Sign(message);

    /// <summary>Writes a new key file, owner-only from its creation, atomically; refuses to replace an existing file.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) throw new ClientKeyException($"{path} already exists: refusing to overwrite a key file");
        Span<byte> seed = stackalloc byte[Ed25519SecretKey.SeedLength];
        Span<byte> blsSecret = stackalloc byte[BlsSecretKey.Length];
        byte[]? json = null;
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Ed25519.ExportSeed(seed);
            Bls.ExportBytes(blsSecret);
            var format = new ClientKeyFileFormat(
                ClientKeyFileFormat.CurrentFormat, Client.ToString(),
                Convert.ToHexStringLower(seed), Ed25519PublicKey.ToString(),
                Convert.ToHexStringLower(blsSecret), BlsPublicKey.ToString(), ProofOfPossession.ToString());
            json = JsonSerializer.SerializeToUtf8Bytes(format, ClientKeyFileJson.Default.ClientKeyFileFormat);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(json);
                stream.Flush(flushToDisk: true);
            }
            // No-overwrite move: if someone created the file meanwhile, this fails instead of replacing it.
            File.Move(temporary, full, overwrite: false);
        }
        catch (IOException ex) when (File.Exists(full))
        {
            throw new ClientKeyException($"{path} already exists: refusing to overwrite a key file", ex);
        }
        finally
        {
            seed.Clear();
            blsSecret.Clear();
            if (json is not null) CryptographicOperations.ZeroMemory(json);
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Loads a key file, refusing one that group or others can access, and checking every public part against the secrets.</summary>
    public static ClientKeys Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ClientKeyException($"key file not found: {path}");
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
                throw new ClientKeyException($"key file {path} is accessible by group or others (mode {Convert.ToString((int)mode, 8)}): run chmod 600 {path}");
        }
        var bytes = File.ReadAllBytes(path);
        try
        {
            var format = JsonSerializer.Deserialize(bytes, ClientKeyFileJson.Default.ClientKeyFileFormat)
                ?? throw new ClientKeyException($"key file {path} is empty");
            return FromFormat(format, path, SequenceCounter.ForKeyFile(path));
        }
        catch (JsonException ex)
        {
            throw new ClientKeyException($"key file {path} is not valid JSON: {ex.Message}", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static ClientKeys FromFormat(ClientKeyFileFormat format, string path, SequenceCounter sequences)
    {
        if (format.Format != ClientKeyFileFormat.CurrentFormat)
            throw new ClientKeyException($"key file {path} has format '{format.Format}', expected '{ClientKeyFileFormat.CurrentFormat}'");
        byte[]? seed = null, blsSecret = null;
        try
        {
            seed = HexField(format.Ed25519Seed, Ed25519SecretKey.SeedLength, "ed25519_seed", path);
            blsSecret = HexField(format.BlsSecretKey, BlsSecretKey.Length, "bls_secret_key", path);
            var ed = Ed25519SecretKey.FromSeed(seed);
            var bls = BlsSecretKey.FromBytes(blsSecret);
            var pop = BlsProofOfPossession.FromBytes(HexField(format.BlsProofOfPossession, BlsProofOfPossession.CompressedLength, "bls_proof_of_possession", path));
            var keys = new ClientKeys(ed, bls, pop, sequences);
            if (keys.Ed25519PublicKey.ToString() != format.Ed25519PublicKey?.ToLowerInvariant()
                || keys.BlsPublicKey.ToString() != format.BlsPublicKey?.ToLowerInvariant()
                || keys.Client.ToString() != format.ClientId?.ToLowerInvariant()
                || !Crypto.Bls.Bls.PopVerify(keys.BlsPublicKey, pop, out _))
            {
                keys.Dispose();
                throw new ClientKeyException($"key file {path} is inconsistent: its public keys, client id or proof of possession do not match its secret keys");
            }
            return keys;
        }
        catch (Exception ex) when (ex is ArgumentException or BlsFormatException)
        {
            throw new ClientKeyException($"key file {path} holds an invalid key: {ex.Message}", ex);
        }
        finally
        {
            if (seed is not null) CryptographicOperations.ZeroMemory(seed);
            if (blsSecret is not null) CryptographicOperations.ZeroMemory(blsSecret);
        }
    }

    private static byte[] HexField(string? text, int length, string field, string path)
    {
        if (text is null || text.Length != 2 * length) throw new ClientKeyException($"key file {path}: {field} must be {2 * length} hex digits");
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new ClientKeyException($"key file {path}: {field} must be {2 * length} hex digits");
        }
    }

    public void Dispose()
    {
        Ed25519.Dispose();
        Bls.Dispose();
    }

    public override string ToString() => $"ClientKeys({Client}, ***)";
}
