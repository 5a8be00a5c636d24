using Stele.Tlog.Notes;

namespace Stele.Tlog.Checkpoints;

/// <summary>A checkpoint signed by the log's trusted key: the tree head a reader may rely on.</summary>
public sealed class VerifiedCheckpoint
{
    internal VerifiedCheckpoint(string origin, TreeSize size, Hash root, IReadOnlyList<string> extensions, VerifiedNote note)
    {
        Origin = origin;
        Size = size;
        Root = root;
        Extensions = extensions;
        Note = note;
    }

    public string Origin { get; }

    public TreeSize Size { get; }

    public Hash Root { get; }

    /// <summary>Extension lines after the root (opaque, usually none).</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The verified note, with every trusted key that signed it (log and witnesses).</summary>
    public VerifiedNote Note { get; }

    public override string ToString() => $"{Origin} @ {Size} {Root.ToBase64()}";
}
