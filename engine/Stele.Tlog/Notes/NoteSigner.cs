using System.Text;

namespace Stele.Tlog.Notes;

/// <summary>Produces C2SP signed notes.</summary>
public static class NoteSigner
{
    /// <summary>
    /// Signs <paramref name="text"/> (which must end in a newline and follow the note rules) with
    /// every key, and returns the UTF-8 signed note.
    /// </summary>
    public static byte[] Sign(string text, params IEnumerable<NoteSignerKey> keys)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keys);
        CheckText(text);
        var textBytes = NoteFormat.StrictUtf8.GetBytes(text);
        var builder = new StringBuilder(text).Append('\n');
        var any = false;
        foreach (var key in keys)
        {
            var signature = new NoteSignature(key.Name, key.KeyId, key.Sign(textBytes));
            builder.Append(signature.Line).Append('\n');
            any = true;
        }
        if (!any) throw new ArgumentException("A signed note needs at least one key.", nameof(keys));
        return NoteFormat.StrictUtf8.GetBytes(builder.ToString());
    }

    private static void CheckText(string text)
    {
        if (text.Length == 0 || text[^1] != '\n') throw new ArgumentException("Note text must end in a newline.", nameof(text));
        if (text.EndsWith("\n\n", StringComparison.Ordinal) || text == "\n")
            throw new ArgumentException("Note text must not end in a blank line (it would be taken for the signature separator).", nameof(text));
        foreach (var c in text)
            if (c < 0x20 && c != '\n') throw new ArgumentException($"Note text must not contain the control character U+{(int)c:X4}.", nameof(text));
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) throw new ArgumentException("Note text must be valid Unicode.", nameof(text));
        }
    }
}
