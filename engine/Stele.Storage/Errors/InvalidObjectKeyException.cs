namespace Stele.Storage;

/// <summary>A key (or listing prefix) broke the rules in <see cref="ObjectKey"/>.</summary>
public sealed class InvalidObjectKeyException : ArgumentException
{
    public InvalidObjectKeyException(string key, string problem, string what = "key")
        : base($"Invalid object {what} '{Printable(key)}': {problem}.")
    {
        Key = key;
    }

    public string Key { get; }

    // Control characters in the message would garble the one-line error a user sees.
    private static string Printable(string key)
    {
        var shown = key.Length > 120 ? key[..120] + "…" : key;
        return string.Create(shown.Length, shown, static (span, s) =>
        {
            for (int i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) ? '?' : s[i];
        });
    }
}
