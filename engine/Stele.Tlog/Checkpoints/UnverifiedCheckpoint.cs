using Stele.Tlog.Notes;

namespace Stele.Tlog.Checkpoints;

/// <summary>
/// A parsed, unverified C2SP checkpoint. Only its claimed origin is visible (to pick the log's key);
/// size and root come from <see cref="Verify"/>.
/// </summary>
public sealed class UnverifiedCheckpoint
{
    private readonly UnverifiedNote _note;

    private UnverifiedCheckpoint(UnverifiedNote note, string claimedOrigin)
    {
        _note = note;
        ClaimedOrigin = claimedOrigin;
    }

    /// <summary>The origin line, unverified.</summary>
    public string ClaimedOrigin { get; }

    public IReadOnlyList<NoteSignature> Signatures => _note.Signatures;

    public static UnverifiedCheckpoint Parse(string checkpoint)
    {
        var note = UnverifiedNote.Parse(checkpoint);
        return new UnverifiedCheckpoint(note, CheckpointText.Parse(note.Text).Origin);
    }

    /// <summary>Parses a signed checkpoint strictly (note and text), throwing <see cref="MalformedNoteException"/>.</summary>
    public static UnverifiedCheckpoint Parse(ReadOnlySpan<byte> checkpoint)
    {
        var note = UnverifiedNote.Parse(checkpoint);
        return new UnverifiedCheckpoint(note, CheckpointText.Parse(note.Text).Origin);
    }

    /// <summary>
    /// Verifies the note against <paramref name="trusted"/> and requires a valid signature by a
    /// trusted key whose name is the origin (the log's own key), so a witness or another log's
    /// signature alone never makes a checkpoint valid.
    /// </summary>
    public VerifiedCheckpoint Verify(NoteVerifiers trusted)
    {
        var note = _note.Verify(trusted);
        var (origin, size, root, extensions) = CheckpointText.Parse(note.Text);
        if (!note.VerifiedBy.Any(k => k.Name == origin))
            throw new NoteVerificationException($"The checkpoint for '{origin}' is not signed by a trusted key named '{origin}'.");
        return new VerifiedCheckpoint(origin, size, root, extensions, note);
    }
}
