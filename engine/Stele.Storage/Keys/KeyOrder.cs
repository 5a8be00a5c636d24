namespace Stele.Storage;

/// <summary>
/// Orders keys as S3 does: by their UTF-8 bytes. For UTF-16 strings that is code-point order,
/// which differs from <see cref="string.CompareOrdinal(string, string)"/> only where surrogate
/// pairs meet characters U+E000..U+FFFF.
/// </summary>
public sealed class KeyOrder : IComparer<string>
{
    public static KeyOrder Instance { get; } = new();

    private KeyOrder() { }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return Compare(x.AsSpan(), y.AsSpan());
    }

    public static int Compare(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        int common = x.CommonPrefixLength(y);
        if (common == x.Length || common == y.Length) return x.Length.CompareTo(y.Length);
        return CodePointRank(x[common]).CompareTo(CodePointRank(y[common]));
    }

    // Surrogates (D800..DFFF) encode code points above FFFF, so they must sort after E000..FFFF.
    private static int CodePointRank(char c) => c < 0xD800 ? c : c < 0xE000 ? c + 0x2000 : c - 0x800;
}
