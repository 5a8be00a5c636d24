namespace Stele.Tlog.Notes;

/// <summary>A note whose text carries at least one valid signature by a trusted key.</summary>
public sealed class VerifiedNote
{
    internal VerifiedNote(string text, IReadOnlyList<NoteVerifierKey> verifiedBy, IReadOnlyList<NoteSignature> otherSignatures)
    {
        Text = text;
        VerifiedBy = verifiedBy;
        OtherSignatures = otherSignatures;
    }

    /// <summary>The signed text, ending in a newline.</summary>
    public string Text { get; }

    /// <summary>The trusted keys whose signatures verified.</summary>
    public IReadOnlyList<NoteVerifierKey> VerifiedBy { get; }

    /// <summary>Signatures by keys that were not trusted (not checked).</summary>
    public IReadOnlyList<NoteSignature> OtherSignatures { get; }

    public bool IsSignedBy(NoteVerifierKey key) => VerifiedBy.Contains(key);
}
