using Stele.Tlog.Notes;

namespace Stele.Tlog.Checkpoints;

/// <summary>Signs checkpoints with the log's key; the origin line is the key's name.</summary>
public sealed class CheckpointSigner
{
    private readonly NoteSignerKey _logKey;

    public CheckpointSigner(NoteSignerKey logKey)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        CheckpointText.CheckOrigin(logKey.Name);
        _logKey = logKey;
    }

    public string Origin => _logKey.Name;

    /// <summary>The verifier key readers need to trust to verify these checkpoints.</summary>
    public NoteVerifierKey Verifier => _logKey.Verifier;

    /// <summary>The signed checkpoint file bytes (UTF-8) for a tree of <paramref name="size"/> with <paramref name="root"/>.</summary>
    public byte[] Sign(TreeSize size, Hash root, IReadOnlyList<string>? extensions = null)
    {
        extensions ??= [];
        CheckpointText.CheckExtensions(extensions);
        return NoteSigner.Sign(CheckpointText.Format(Origin, size, root, extensions), _logKey);
    }
}
