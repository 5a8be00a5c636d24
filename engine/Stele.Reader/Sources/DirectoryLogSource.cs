namespace Stele.Reader.Sources;

/// <summary>A log published to a local folder: each object at exactly its key's path.</summary>
public sealed class DirectoryLogSource : ILogSource
{
    private readonly string _root;

    public DirectoryLogSource(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException($"no such directory: {_root}");
    }

    public string Location => _root;

    public async Task<byte[]?> TryReadAllAsync(string key, long maxBytes, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
            if (file.Length > maxBytes) throw new InvalidDataException($"{key} is {file.Length} bytes; at most {maxBytes} expected");
            var bytes = new byte[file.Length];
            await file.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<Stream?> TryOpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            Stream stream = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string PathOf(string key)
    {
        // Keys come from the log format, but a hostile checkpoint must not steer reads outside the root.
        if (key.Length == 0 || key.StartsWith('/') || key.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"not a log object key: '{key}'", nameof(key));
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    public override string ToString() => Location;
}
