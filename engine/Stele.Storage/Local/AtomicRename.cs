namespace Stele.Storage.Local;

/// <summary>
/// Publishes a fully written, fsynced temp file under its final path: create the missing parent
/// folders (flushing each new entry), rename over the target, then flush the folder so the rename
/// survives a crash. Readers see the old file or the new one, never a mix. With
/// <c>durable: false</c> the rename stays atomic but the folder flushes are skipped.
/// </summary>
internal static class AtomicRename
{
    public static void Publish(string tempPath, string targetPath, string stopAt, bool durable = true)
    {
        var folder = Path.GetDirectoryName(targetPath)!;
        // A concurrent delete may prune a just-created empty folder; recreate and retry.
        for (int attempt = 1; ; attempt++)
        {
            EnsureFolder(folder, stopAt, durable);
            try
            {
                File.Move(tempPath, targetPath, overwrite: true);
                break;
            }
            catch (DirectoryNotFoundException) when (attempt < 5)
            {
            }
        }
        if (durable) DirectorySync.Flush(folder);
    }

    /// <summary>Creates <paramref name="folder"/> and any missing parents below <paramref name="stopAt"/>, durably.</summary>
    public static void EnsureFolder(string folder, string stopAt, bool durable = true)
    {
        if (Directory.Exists(folder)) return;
        var parent = Path.GetDirectoryName(folder);
        if (parent is not null && parent.Length >= stopAt.Length) EnsureFolder(parent, stopAt, durable);
        Directory.CreateDirectory(folder);
        if (durable && parent is not null) DirectorySync.Flush(parent);
    }
}
