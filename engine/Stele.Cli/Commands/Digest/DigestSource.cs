namespace Stele.Cli.Commands.Digest;

/// <summary>One input named on the command line: a file, or `-` for standard input.</summary>
internal sealed record DigestSource(string Name, string? Path)
{
    public bool IsStandardInput => Path is null;

    /// <summary>Checks every name before anything is hashed, so a typo fails fast with one line.</summary>
    public static IReadOnlyList<DigestSource> Resolve(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return [new DigestSource("-", null)];
        var sources = new List<DigestSource>(names.Count);
        foreach (var name in names)
        {
            if (name == "-")
            {
                sources.Add(new DigestSource(name, null));
                continue;
            }
            if (Directory.Exists(name)) throw new CliException($"digest: {name}: is a directory");
            if (!File.Exists(name)) throw new CliException($"digest: {name}: no such file");
            sources.Add(new DigestSource(name, name));
        }
        return sources;
    }

    /// <summary>Size in bytes when known up front (files), else null.</summary>
    public long? KnownLength => IsStandardInput ? null : new FileInfo(Path!).Length;
}
