using Stele.Domain.Identity;
using Stele.Tlog.Notes;

namespace Stele.Projections;

/// <summary>
/// The log's identity: its Ed25519 signed-note key, whose name is the log origin. Readers trust
/// <see cref="VerifierString"/>; the secret half never prints (see <see cref="ToString"/>).
/// </summary>
public sealed class LogKey : IDisposable
{
    private LogKey(NoteSignerKey signer)
    {
        Signer = signer;
        Origin = new LogOrigin(signer.Name);
    }

    /// <summary>Signs checkpoints; owned by this object.</summary>
    public NoteSignerKey Signer { get; }

    /// <summary>The checkpoint origin line, the key's name.</summary>
    public LogOrigin Origin { get; }

    public NoteVerifierKey Verifier => Signer.Verifier;

    /// <summary><c>origin+hash+base64</c>: what readers pass to <c>stele verify</c>.</summary>
    public string VerifierString => Signer.Verifier.ToString();

    /// <summary>Parses a C2SP signer key (<c>PRIVATE+KEY+origin+hash+base64</c>).</summary>
    public static LogKey FromSignerKey(string signerKey)
    {
        NoteSignerKey signer;
        try
        {
            signer = NoteSignerKey.Parse(signerKey.Trim());
        }
        catch (FormatException ex)
        {
            throw new LogKeyException($"not a signed-note signer key: {ex.Message}");
        }
        try
        {
            return new LogKey(signer);
        }
        catch (ArgumentException ex)
        {
            signer.Dispose();
            throw new LogKeyException($"the key name is not a valid log origin: {ex.Message}");
        }
    }

    /// <summary>A fresh key for <paramref name="origin"/>.</summary>
    public static LogKey Generate(string origin)
    {
        try
        {
            _ = new LogOrigin(origin);
        }
        catch (ArgumentException ex)
        {
            throw new LogKeyException($"invalid origin '{origin}': {ex.Message}");
        }
        return new LogKey(NoteSignerKey.Generate(origin));
    }

    /// <summary>The signer key text, for the key file only.</summary>
    internal string ExportSignerKey() => Signer.ExportPrivateKey();

    public void Dispose() => Signer.Dispose();

    public override string ToString() => $"LogKey({Origin}, ***)";
}

/// <summary>A log key that cannot be read, parsed or created; the message is one line for the user.</summary>
public sealed class LogKeyException(string message) : Exception(message);
