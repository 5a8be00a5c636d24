using System.IO.MemoryMappedFiles;

namespace Stele.Cli.Commands.Digest;

/// <summary>A callback over a read-only view of file bytes.</summary>
internal delegate void SpanAction(ReadOnlySpan<byte> bytes);

/// <summary>
/// Reads a regular file through a read-only memory mapping, as b3sum does: no copy into a
/// buffer, the hashers read the page cache directly. Handed out in large slices so callers can
/// report progress; slices are multiples of 1 MiB, so BLAKE3 never hashes a narrow tail between them.
/// </summary>
internal static unsafe class MappedFile
{
    public const int SliceSize = 16 << 20;

    /// <summary>
    /// True for a non-empty file: pipes, sockets, devices and /proc files report length 0 and
    /// are streamed instead (opening a pipe here could block).
    /// </summary>
    public static bool CanMap(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length > 0;
    }

    public static long ForEachSlice(string path, SpanAction consume, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        using var mapping = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity: 0, MemoryMappedFileAccess.Read,
            HandleInheritability.None, leaveOpen: true);
        using var view = mapping.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        var handle = view.SafeMemoryMappedViewHandle;
        byte* start = null;
        handle.AcquirePointer(ref start);
        try
        {
            start += view.PointerOffset;
            for (long offset = 0; offset < length; offset += SliceSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                consume(new ReadOnlySpan<byte>(start + offset, (int)Math.Min(SliceSize, length - offset)));
            }
        }
        finally
        {
            handle.ReleasePointer();
        }
        return length;
    }
}
