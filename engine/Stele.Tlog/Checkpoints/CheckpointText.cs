using System.Globalization;
using System.Text;
using Stele.Tlog.Notes;

namespace Stele.Tlog.Checkpoints;

/// <summary>The C2SP tlog-checkpoint note text: origin, decimal size, base64 root, optional extension lines.</summary>
internal static class CheckpointText
{
    public static string Format(string origin, TreeSize size, Hash root, IReadOnlyList<string> extensions)
    {
        var builder = new StringBuilder();
        builder.Append(origin).Append('\n');
        builder.Append(size.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        builder.Append(root.ToBase64()).Append('\n');
        foreach (var line in extensions) builder.Append(line).Append('\n');
        return builder.ToString();
    }

    public static void CheckOrigin(string origin)
    {
        if (string.IsNullOrEmpty(origin) || origin.Contains('\n'))
            throw new ArgumentException("A checkpoint origin is one non-empty line.", nameof(origin));
    }

    public static void CheckExtensions(IReadOnlyList<string> extensions)
    {
        foreach (var line in extensions)
            if (string.IsNullOrEmpty(line) || line.Contains('\n'))
                throw new ArgumentException("Checkpoint extension lines must be non-empty single lines.", nameof(extensions));
    }

    /// <summary>Parses the text strictly, throwing <see cref="MalformedNoteException"/> with the reason.</summary>
    public static (string Origin, TreeSize Size, Hash Root, IReadOnlyList<string> Extensions) Parse(string text)
    {
        if (!text.EndsWith('\n')) throw new MalformedNoteException("the checkpoint text does not end in a newline");
        var lines = text[..^1].Split('\n');
        if (lines.Length < 3) throw new MalformedNoteException("a checkpoint has at least three lines: origin, size and root hash");
        if (lines.Any(l => l.Length == 0)) throw new MalformedNoteException("a checkpoint line is empty");
        var sizeText = lines[1];
        if (!sizeText.All(char.IsAsciiDigit) || (sizeText.Length > 1 && sizeText[0] == '0')
            || !ulong.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new MalformedNoteException("the checkpoint size is not a decimal number without leading zeros");
        Hash root;
        try { root = Hash.FromBase64(lines[2]); }
        catch (FormatException) { throw new MalformedNoteException("the checkpoint root hash is not base64 of 32 bytes"); }
        if (root.ToBase64() != lines[2]) throw new MalformedNoteException("the checkpoint root hash is not canonical base64");
        return (lines[0], new TreeSize(size), root, lines[3..]);
    }
}
