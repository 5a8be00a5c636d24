using System.Text;

namespace Stele.Cli.Commands.Digest;

/// <summary>Checksum lines in the formats b3sum and `sha256sum --tag` print.</summary>
internal static class ChecksumLine
{
    /// <summary>
    /// `HEX  NAME`, as b3sum prints it. Like b3sum (and sha256sum), a name holding a backslash
    /// or a newline is escaped and the line starts with a backslash.
    /// </summary>
    public static string Blake3(string hex, string name)
    {
        var (escaped, prefix) = Escape(name);
        return $"{prefix}{hex}  {escaped}";
    }

    /// <summary>`SHA256 (NAME) = HEX`, the tagged format of `sha256sum --tag` (which `sha256sum -c` checks).</summary>
    public static string Sha256(string hex, string name)
    {
        var (escaped, prefix) = Escape(name);
        return $"{prefix}SHA256 ({escaped}) = {hex}";
    }

    private static (string Name, string Prefix) Escape(string name)
    {
        if (!name.Contains('\\') && !name.Contains('\n')) return (name, "");
        var builder = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }
        return (builder.ToString(), "\\");
    }
}
