namespace Stele.Reader.Verification;

/// <summary>
/// The first problem found in a log: which file (and leaf, when one is to blame) and what is wrong.
/// Verification never returns a result once one of these is thrown.
/// </summary>
public class LogVerificationException : Exception
{
    public LogVerificationException(string? file, ulong? leaf, string problem, Exception? inner = null)
        : base(Describe(file, leaf, problem), inner)
    {
        File = file;
        Leaf = leaf;
        Problem = problem;
    }

    /// <summary>The object key at fault (e.g. <c>tile/entries/x001/002</c>), when one is.</summary>
    public string? File { get; }

    /// <summary>The leaf index at fault, when one is.</summary>
    public ulong? Leaf { get; }

    public string Problem { get; }

    private static string Describe(string? file, ulong? leaf, string problem) =>
        (file, leaf) switch
        {
            (not null, not null) => $"{file}: leaf {leaf}: {problem}",
            (not null, null) => $"{file}: {problem}",
            (null, not null) => $"leaf {leaf}: {problem}",
            _ => problem,
        };
}

/// <summary>
/// Two views of the same log disagree: an immutable file with different bytes, or a checkpoint that
/// is not consistent with an older one. Someone is showing different logs to different readers.
/// </summary>
public sealed class SplitViewException(string? file, ulong? leaf, string problem, Exception? inner = null)
    : LogVerificationException(file, leaf, "SPLIT VIEW: " + problem, inner);
