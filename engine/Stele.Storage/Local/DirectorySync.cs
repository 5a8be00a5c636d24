using System.Runtime.InteropServices;

namespace Stele.Storage.Local;

/// <summary>
/// fsync for directories, which .NET has no API for: after a rename or unlink, the directory
/// entry itself must reach the disk or a crash can undo the change.
/// </summary>
internal static partial class DirectorySync
{
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows()) return; // NTFS journals metadata; no directory handle to flush.
        int fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>syncfs (Linux): everything written to the file system holding <paramref name="path"/> reaches the disk.</summary>
    public static void FlushFileSystem(string path)
    {
        int fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open '{path}' to flush its file system (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (SyncFs(fd) != 0)
                throw new IOException($"syncfs of '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
