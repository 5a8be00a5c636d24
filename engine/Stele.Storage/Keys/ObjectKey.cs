using System.Text;

namespace Stele.Storage;

/// <summary>
/// The rules every object key obeys, on every backend, so that a key valid on S3 is also a safe
/// relative path on a filesystem (and the other way round).
/// </summary>
/// <remarks>
/// A key is one or more '/'-separated segments; no segment is empty, "." or ".."; no backslash,
/// no control character, no lone UTF-16 surrogate; at most <see cref="MaxBytes"/> bytes of UTF-8
/// overall and <see cref="MaxSegmentBytes"/> per segment (a filename limit on most filesystems).
/// </remarks>
public static class ObjectKey
{
    /// <summary>S3's key limit, in UTF-8 bytes.</summary>
    public const int MaxBytes = 1024;

    /// <summary>NAME_MAX on common filesystems, in UTF-8 bytes.</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>Throws <see cref="InvalidObjectKeyException"/> unless <paramref name="key"/> is a valid key.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Check(key, isPrefix: false) is { } problem) throw new InvalidObjectKeyException(key, problem);
    }

    /// <summary>True when <paramref name="key"/> is a valid key.</summary>
    public static bool IsValid(string key) => key is not null && Check(key, isPrefix: false) is null;

    /// <summary>
    /// Throws unless <paramref name="prefix"/> is a valid listing prefix: empty, or a valid key
    /// optionally followed by '/', or a valid key cut short inside its last segment.
    /// </summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (Check(prefix, isPrefix: true) is { } problem) throw new InvalidObjectKeyException(prefix, problem, "prefix");
    }

    /// <summary>Returns why <paramref name="text"/> is not a valid key (or prefix), or null when it is.</summary>
    private static string? Check(string text, bool isPrefix)
    {
        if (text.Length == 0) return isPrefix ? null : "it is empty";
        if (text[0] == '/') return "it starts with '/' (keys are relative)";

        int segmentStart = 0;
        int totalBytes = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '/')
            {
                char c = text[i];
                if (c == '\\') return "it contains a backslash (the separator is '/')";
                if (char.IsControl(c)) return $"it contains the control character U+{(int)c:X4}";
                if (char.IsSurrogate(c))
                {
                    if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                        return "it contains a lone UTF-16 surrogate (not encodable as UTF-8)";
                    i++;
                }
                continue;
            }

            // A segment ends at i (a '/' or the end of the text).
            var segment = text.AsSpan(segmentStart, i - segmentStart);
            bool isLast = i == text.Length;
            if (segment.Length == 0 && !(isPrefix && isLast)) return isLast ? "it ends with '/'" : "it contains an empty segment ('//')";
            if (!(isPrefix && isLast) && (segment is "." || segment is ".."))
                return $"it contains a '{segment}' segment";
            int segmentBytes = Encoding.UTF8.GetByteCount(segment);
            if (segmentBytes > MaxSegmentBytes) return $"a segment is {segmentBytes} bytes long (at most {MaxSegmentBytes})";
            totalBytes += segmentBytes + (isLast ? 0 : 1);
            segmentStart = i + 1;
        }
        if (totalBytes > MaxBytes) return $"it is {totalBytes} bytes long in UTF-8 (at most {MaxBytes})";
        return null;
    }
}
