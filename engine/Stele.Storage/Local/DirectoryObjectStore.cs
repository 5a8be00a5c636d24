using System.Runtime.CompilerServices;
using System.Text;

namespace Stele.Storage.Local;

/// <summary>
/// An object store in a local folder: each object is a plain file at its key's path, written
/// atomically (temp file, fsync, rename, fsync of the folder), so the folder can be served by any
/// static web server or copied as-is. Metadata lives in sidecars under <c>.stele-store/meta/</c>
/// (hard links to one shared file per distinct text), replaced atomically but not fsynced: after a power cut an object may read back without its
/// metadata, never with the wrong bytes.
/// </summary>
/// <remarks>
/// Differences from S3, both refused with a clear error: a key cannot be both an object and a
/// folder of other objects ('a' and 'a/b'), and keys may not start with <c>.stele-store/</c>.
/// </remarks>
public sealed class DirectoryObjectStore : IObjectStore, IDeferredDurability
{
    /// <summary>Temp files untouched for this long are leftovers of a crash and are removed on open.</summary>
    public static readonly TimeSpan AbandonedTempFileAge = TimeSpan.FromHours(1);

    private readonly SharedSidecars _sharedSidecars;

    public DirectoryObjectStore(string rootPath, DirectoryDurability durability = DirectoryDurability.PerObject)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        if (!Enum.IsDefined(durability)) throw new ArgumentOutOfRangeException(nameof(durability));
        // Grouped flushing needs syncfs; elsewhere every object stays durable on its own.
        Durability = OperatingSystem.IsLinux() ? durability : DirectoryDurability.PerObject;
        Layout = new DirectoryLayout(rootPath);
        if (File.Exists(Layout.Root)) throw new ObjectStoreException($"Object store root '{Layout.Root}' is a file, not a folder.");
        Directory.CreateDirectory(Layout.TempFolder);
        Directory.CreateDirectory(Layout.MetaFolder);
        Directory.CreateDirectory(Layout.SharedFolder);
        _sharedSidecars = new SharedSidecars(Layout);
        RemoveAbandonedTempFiles();
    }

    /// <summary>Absolute path of the root folder.</summary>
    public string RootPath => Layout.Root;

    public string Location => "file://" + Layout.Root.Replace('\\', '/');

    internal DirectoryLayout Layout { get; }

    public DirectoryDurability Durability { get; }

    internal bool SyncEachObject => Durability == DirectoryDurability.PerObject;

    /// <summary>With <see cref="DirectoryDurability.Grouped"/>: one syncfs makes every write and delete so far durable. Otherwise nothing to do.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!SyncEachObject) DirectorySync.FlushFileSystem(Layout.Root);
        return Task.CompletedTask;
    }

    public async Task PutAsync(string key, Stream content, ObjectMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        await using var writer = await OpenWriteAsync(key, metadata, cancellationToken).ConfigureAwait(false);
        await content.CopyToAsync(writer, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectReadStream> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await TryGetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(Location, key);

    public Task<ObjectReadStream?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        FileStream file;
        try
        {
            file = new FileStream(Layout.ContentPath(key), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete, // a concurrent overwrite renames over us; we keep the old bytes
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (IsMissing(e, Layout.ContentPath(key)))
        {
            return Task.FromResult<ObjectReadStream?>(null);
        }
        var properties = new ObjectProperties(key, file.Length, MetadataSidecar.Read(Layout.SidecarPath(key)));
        return Task.FromResult<ObjectReadStream?>(new ObjectReadStream(file, properties));
    }

    public Task<ObjectProperties?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        var info = new FileInfo(Layout.ContentPath(key));
        if (!info.Exists) return Task.FromResult<ObjectProperties?>(null);
        var properties = new ObjectProperties(key, info.Length, MetadataSidecar.Read(Layout.SidecarPath(key)));
        return Task.FromResult<ObjectProperties?>(properties);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(
        string prefix = "", string? startAfter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidatePrefix(prefix);
        foreach (var info in DirectoryLister.List(Layout.Root, prefix, startAfter))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        var path = Layout.ContentPath(key);
        if (!File.Exists(path)) return Task.CompletedTask;
        File.Delete(path);
        var folder = Path.GetDirectoryName(path)!;
        if (SyncEachObject) DirectorySync.Flush(folder);
        // Content first, sidecar second: a crash in between leaves only an orphan sidecar, which the next put replaces.
        DeleteSidecar(key);
        PruneEmptyFolders(folder, Layout.Root);
        PruneEmptyFolders(Path.GetDirectoryName(Layout.SidecarPath(key))!, Layout.MetaFolder);
        return Task.CompletedTask;
    }

    public Task<ObjectWriteStream> OpenWriteAsync(string key, ObjectMetadata metadata, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        ArgumentNullException.ThrowIfNull(metadata);
        metadata.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        // Fail before the caller streams a large body to a key that cannot be stored.
        if (FindConflict(key) is { } conflict) throw new ObjectKeyConflictException(Location, key, conflict);
        return Task.FromResult<ObjectWriteStream>(new DirectoryWriteStream(this, key, metadata));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override string ToString() => Location;

    /// <summary>Makes a completed temp file the object under <paramref name="key"/>, metadata first.</summary>
    internal void Publish(string key, string tempPath, ObjectMetadata metadata)
    {
        try
        {
            // The sidecar goes first, so readers never see new content with old metadata; in the
            // window between the two renames they may see new metadata with the old content.
            WriteSidecar(key, metadata);
            AtomicRename.Publish(tempPath, Layout.ContentPath(key), Layout.Root, SyncEachObject);
        }
        catch (IOException e) when (e is not ObjectStoreException && FindConflict(key) is { } conflict)
        {
            // The key cannot hold an object, so a sidecar written for it a moment ago belongs to nothing.
            try
            {
                DeleteSidecar(key);
            }
            catch (IOException)
            {
            }
            throw new ObjectKeyConflictException(Location, key, conflict);
        }
    }

    private void WriteSidecar(string key, ObjectMetadata metadata)
    {
        var sidecar = Layout.SidecarPath(key);
        string? wanted = metadata.IsEmpty ? null : MetadataSidecar.Format(metadata);
        if (wanted == MetadataSidecar.ReadRaw(sidecar)) return; // unchanged: skip two fsyncs
        if (wanted is null)
        {
            DeleteSidecar(key);
            return;
        }
        var temp = Layout.NewTempPath();
        try
        {
            // Atomic but not fsynced: two more fsyncs per put would double its cost, and a sidecar lost
            // to a power cut only means the object reads back without metadata (the bytes are safe).
            if (!_sharedSidecars.TryLink(wanted, temp)) File.WriteAllText(temp, wanted, Encoding.ASCII);
            AtomicRename.Publish(temp, sidecar, Layout.MetaFolder, durable: false);
        }
        finally
        {
            File.Delete(temp); // no-op once renamed
        }
    }

    private void DeleteSidecar(string key)
    {
        var sidecar = Layout.SidecarPath(key);
        if (File.Exists(sidecar)) File.Delete(sidecar);
    }

    /// <summary>Why <paramref name="key"/> cannot be stored here (a file/folder clash), or null.</summary>
    private string? FindConflict(string key)
    {
        if (Directory.Exists(Layout.ContentPath(key))) return $"'{key}/' already holds other objects";
        for (int slash = key.IndexOf('/'); slash > 0; slash = key.IndexOf('/', slash + 1))
        {
            var ancestor = key[..slash];
            if (File.Exists(Layout.ContentPath(ancestor))) return $"'{ancestor}' is an object, so it cannot also be a folder";
        }
        return null;
    }

    /// <summary>Removes folders left empty by a delete, up to (not including) <paramref name="stopAt"/>, as S3 has no folders.</summary>
    private static void PruneEmptyFolders(string folder, string stopAt)
    {
        while (folder.Length > stopAt.Length && folder.StartsWith(stopAt, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any()) return;
                Directory.Delete(folder, recursive: false);
            }
            catch (IOException)
            {
                return; // not empty any more (a concurrent put), or already gone
            }
            folder = Path.GetDirectoryName(folder)!;
        }
    }

    private void CheckKey(string key)
    {
        ObjectKey.Validate(key);
        if (DirectoryLayout.IsReserved(key))
            throw new InvalidObjectKeyException(key, $"'{DirectoryLayout.ReservedFolder}/' is reserved by the directory store");
    }

    private static bool IsMissing(Exception e, string path) =>
        e is FileNotFoundException or DirectoryNotFoundException
        || (e is UnauthorizedAccessException or IOException && Directory.Exists(path)); // a folder, not an object

    private void RemoveAbandonedTempFiles()
    {
        var cutoff = DateTime.UtcNow - AbandonedTempFileAge;
        foreach (var temp in Directory.EnumerateFiles(Layout.TempFolder))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(temp) < cutoff) File.Delete(temp);
            }
            catch (IOException)
            {
                // Another process got there first; nothing to do.
            }
        }
    }
}
