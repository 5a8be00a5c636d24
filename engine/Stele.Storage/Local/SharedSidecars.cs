using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Stele.Storage.Local;

/// <summary>
/// Sidecars with the same text are hard links to one file under <c>.stele-store/shared/</c>, named by
/// the SHA-256 of that text: a put then adds a directory entry instead of allocating an inode, which on
/// ext4 is the dearest part of a small put (a published log has thousands of files and three sidecar
/// texts). Each sidecar is still an ordinary file with the usual text; it is only ever replaced by a
/// rename, never written in place, so the links never change under one another.
/// </summary>
internal sealed partial class SharedSidecars(DirectoryLayout layout)
{
    private const int TooManyLinks = 31; // EMLINK, Linux and macOS

    private readonly ConcurrentDictionary<string, string> _ready = new(StringComparer.Ordinal);

    /// <summary>Links <paramref name="linkPath"/> (which must not exist) to the shared file holding <paramref name="text"/>; false if this file system cannot (the caller then writes a copy).</summary>
    public bool TryLink(string text, string linkPath)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        var shared = _ready.GetOrAdd(text, Prepare);
        if (Link(shared, linkPath) == 0) return true;
        if (Marshal.GetLastPInvokeError() != TooManyLinks) return false;
        // The shared file has the most links an inode may have: later sidecars link to a fresh copy.
        Write(shared, text);
        return Link(shared, linkPath) == 0;
    }

    /// <summary>The shared file for <paramref name="text"/>, written unless it is there with exactly that text.</summary>
    private string Prepare(string text)
    {
        var path = Path.Combine(layout.SharedFolder, Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text))));
        if (MetadataSidecar.ReadRaw(path) != text) Write(path, text);
        return path;
    }

    private void Write(string path, string text)
    {
        var temp = layout.NewTempPath();
        try
        {
            File.WriteAllText(temp, text, Encoding.ASCII);
            AtomicRename.Publish(temp, path, layout.SharedFolder, durable: false);
        }
        finally
        {
            File.Delete(temp); // no-op once renamed
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existingPath, string newPath);
}
