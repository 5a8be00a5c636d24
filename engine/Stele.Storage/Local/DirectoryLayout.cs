namespace Stele.Storage.Local;

/// <summary>
/// Where things live under a directory store's root: each object at exactly its key's path, and
/// the store's own files (temp files, metadata sidecars and the files they share) under one reserved folder,
/// <c>.stele-store/</c>, that listings skip and keys may not enter.
/// </summary>
internal sealed class DirectoryLayout
{
    public const string ReservedFolder = ".stele-store";

    public DirectoryLayout(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        TempFolder = Path.Combine(Root, ReservedFolder, "tmp");
        MetaFolder = Path.Combine(Root, ReservedFolder, "meta");
        SharedFolder = Path.Combine(Root, ReservedFolder, "shared");
    }

    public string Root { get; }
    public string TempFolder { get; }
    public string MetaFolder { get; }

    /// <summary>One file per distinct sidecar text, which the sidecars hard-link to (see <see cref="SharedSidecars"/>).</summary>
    public string SharedFolder { get; }

    public string ContentPath(string key) => Path.Combine(Root, ToRelativePath(key));

    public string SidecarPath(string key) => Path.Combine(MetaFolder, ToRelativePath(key));

    /// <summary>A fresh temp file name; unique, so concurrent writers never share one.</summary>
    public string NewTempPath() => Path.Combine(TempFolder, $"{Guid.NewGuid():N}.tmp");

    /// <summary>True for keys that would land inside the reserved folder.</summary>
    public static bool IsReserved(string key) =>
        key.StartsWith(ReservedFolder, StringComparison.Ordinal)
        && (key.Length == ReservedFolder.Length || key[ReservedFolder.Length] == '/');

    private static string ToRelativePath(string key) =>
        Path.DirectorySeparatorChar == '/' ? key : key.Replace('/', Path.DirectorySeparatorChar);
}
