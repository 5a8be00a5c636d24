namespace Stele.Storage.Local;

/// <summary>When a directory store's writes reach the disk.</summary>
public enum DirectoryDurability
{
    /// <summary>Each put and delete is durable when it returns (fsync of the file and of its folder).</summary>
    PerObject,

    /// <summary>
    /// Puts and deletes are atomic but durable only after <see cref="IDeferredDurability.FlushAsync"/>
    /// (one syncfs of the file system for all of them): for bulk writers such as a rebuild, where one
    /// fsync per file would dominate.
    /// </summary>
    Grouped,
}
