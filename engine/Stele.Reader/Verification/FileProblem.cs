namespace Stele.Reader.Verification;

public enum FileProblemKind
{
    /// <summary>The checkpoint implies the file; the source does not have it.</summary>
    Missing,

    /// <summary>The file is there but its bytes are not the ones the checkpoint commits to.</summary>
    Altered,

    /// <summary>A blob of an erased entry is still published.</summary>
    NotErased,
}

/// <summary>One finding of a full file check: which file (and leaf), and what is wrong with it.</summary>
public sealed record FileProblem(string Key, ulong? Leaf, FileProblemKind Kind, string Detail)
{
    public override string ToString() =>
        $"{Kind.ToString().ToUpperInvariant(),-10} {Key}{(Leaf is { } leaf ? $" (leaf {leaf})" : "")}: {Detail}";
}

/// <summary>What a full file check found: every missing or altered file, not only the first.</summary>
public sealed record FileCheckReport(string Origin, Tlog.TreeSize Size, long FilesChecked, IReadOnlyList<FileProblem> Problems)
{
    public bool IsIntact => Problems.Count == 0;
}
