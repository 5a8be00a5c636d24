namespace Stele.Storage.Local;

/// <summary>
/// A directory-store write: the body goes to a temp file under <c>.stele-store/tmp/</c>; on
/// completion the file is fsynced (unless the store groups its flushes), the metadata sidecar is brought up to date, and the temp file
/// is renamed over the target. An abandoned write deletes its temp file.
/// </summary>
internal sealed class DirectoryWriteStream : ObjectWriteStream
{
    private readonly DirectoryObjectStore _store;
    private readonly ObjectMetadata _metadata;
    private readonly string _tempPath;
    private readonly FileStream _file;

    public DirectoryWriteStream(DirectoryObjectStore store, string key, ObjectMetadata metadata) : base(key)
    {
        _store = store;
        _metadata = metadata;
        _tempPath = store.Layout.NewTempPath();
        _file = OpenTemp(_tempPath, store.Layout.TempFolder);
    }

    protected override void WriteCore(ReadOnlySpan<byte> buffer) => _file.Write(buffer);

    protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        _file.WriteAsync(buffer, cancellationToken);

    protected override async Task CompleteCoreAsync(CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _file.Flush(flushToDisk: _store.SyncEachObject);
        await _file.DisposeAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _store.Publish(Key, _tempPath, _metadata);
    }

    protected override async Task AbortCoreAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        File.Delete(_tempPath);
    }

    protected override ValueTask ReleaseAsync() => _file.DisposeAsync();

    private static FileStream OpenTemp(string path, string tempFolder)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        try
        {
            return new FileStream(path, options);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(tempFolder); // someone removed .stele-store/tmp; bring it back
            return new FileStream(path, options);
        }
    }
}
