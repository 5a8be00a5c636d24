using System.Text;

namespace Stele.Reader.Verification;

/// <summary>
/// A leaf whose content was erased, with its public redaction notice: the tombstone in its payload slot
/// names the notice leaf, and that notice (a kind-4 record) names this leaf as its target.
/// </summary>
public sealed record ErasedLeaf(ulong Leaf, ulong NoticeLeaf, string Reason, string LegalBasis, DateTimeOffset Time)
{
    /// <summary>One line; the notice's text comes from the log, so control characters are escaped, not printed.</summary>
    public override string ToString() =>
        $"leaf {Leaf} erased {Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (notice at leaf {NoticeLeaf}): reason \"{Printable(Reason)}\", basis \"{Printable(LegalBasis)}\"";

    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return builder.ToString();
    }
}
