using System.Buffers.Binary;

namespace Stele.Tlog.Notes;

/// <summary>
/// A parsed but unverified C2SP signed note. Its text must not be acted on: call
/// <see cref="Verify"/> with the keys you trust to get a <see cref="VerifiedNote"/>.
/// </summary>
public sealed class UnverifiedNote
{
    private readonly byte[] _text;

    public IReadOnlyList<NoteSignature> Signatures { get; }

    private UnverifiedNote(byte[] text, IReadOnlyList<NoteSignature> signatures)
    {
        _text = text;
        Signatures = signatures;
    }

    /// <summary>The note text as signed (UTF-8, ending in a newline). Untrusted until verified.</summary>
    internal ReadOnlySpan<byte> TextBytes => _text;

    internal string Text => NoteFormat.StrictUtf8.GetString(_text);

    public static UnverifiedNote Parse(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        byte[] bytes;
        try { bytes = NoteFormat.StrictUtf8.GetBytes(note); }
        catch (ArgumentException) { throw new MalformedNoteException("it is not valid Unicode"); }
        return Parse(bytes);
    }

    /// <summary>Parses a signed note strictly, throwing <see cref="MalformedNoteException"/> with the reason.</summary>
    public static UnverifiedNote Parse(ReadOnlySpan<byte> note)
    {
        string text;
        try { text = NoteFormat.StrictUtf8.GetString(note); }
        catch (ArgumentException) { throw new MalformedNoteException("it is not valid UTF-8"); }
        foreach (var c in text)
            if (c < 0x20 && c != '\n') throw new MalformedNoteException($"it contains the control character U+{(int)c:X4}");

        var split = note.LastIndexOf("\n\n"u8);
        if (split < 0) throw new MalformedNoteException("there is no blank line before the signatures");
        var body = note[..(split + 1)];
        var block = note[(split + 2)..];
        if (block.IsEmpty) throw new MalformedNoteException("there are no signature lines");
        if (block[^1] != '\n') throw new MalformedNoteException("the last signature line does not end in a newline");

        var signatures = new List<NoteSignature>();
        foreach (var line in NoteFormat.StrictUtf8.GetString(block[..^1]).Split('\n'))
        {
            if (signatures.Count == NoteFormat.MaxSignatures)
                throw new MalformedNoteException($"it has more than {NoteFormat.MaxSignatures} signatures");
            signatures.Add(ParseSignatureLine(line));
        }
        return new UnverifiedNote(body.ToArray(), signatures);
    }

    /// <summary>
    /// Checks every signature by a trusted key (unknown keys are ignored, as C2SP requires).
    /// Throws <see cref="NoteVerificationException"/> if any trusted signature is invalid or none verified.
    /// </summary>
    public VerifiedNote Verify(NoteVerifiers trusted)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        var verifiedBy = new List<NoteVerifierKey>();
        var unknown = new List<NoteSignature>();
        foreach (var signature in Signatures)
        {
            var key = trusted.Find(signature.KeyName, signature.KeyId);
            if (key is null)
            {
                unknown.Add(signature);
                continue;
            }
            if (!key.Verify(_text, signature.Signature.Span))
                throw new NoteVerificationException($"The signature by trusted key {signature} is invalid.");
            if (!verifiedBy.Contains(key)) verifiedBy.Add(key);
        }
        if (verifiedBy.Count == 0)
            throw new NoteVerificationException(Signatures.Count == 0
                ? "The note has no signatures."
                : $"The note is not signed by any trusted key (signed by: {string.Join(", ", Signatures.Select(s => s.ToString()).Distinct())}).");
        return new VerifiedNote(Text, verifiedBy, unknown);
    }

    private static NoteSignature ParseSignatureLine(string line)
    {
        if (!line.StartsWith(NoteFormat.SignaturePrefix, StringComparison.Ordinal))
            throw new MalformedNoteException("a signature line does not start with an em dash and a space");
        var rest = line[NoteFormat.SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0) throw new MalformedNoteException("a signature line has no space between key name and signature");
        var name = rest[..space];
        var base64 = rest[(space + 1)..];
        if (!NoteFormat.IsValidKeyName(name)) throw new MalformedNoteException("a signature line has an invalid key name");
        if (!NoteFormat.TryDecodeCanonicalBase64(base64, out var bytes)) throw new MalformedNoteException($"the signature of '{name}' is not canonical base64");
        if (bytes.Length < 5) throw new MalformedNoteException($"the signature of '{name}' is shorter than a key ID and one byte");
        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes.AsMemory(4));
    }
}
