namespace Stele.Reader.Sources;

/// <summary>
/// Read-only access to a published log by object key (docs/log-format.md): a directory, an S3
/// prefix or a static HTTP host. A missing object is <c>null</c>, never an exception.
/// </summary>
public interface ILogSource : IAsyncDisposable
{
    /// <summary>Where the log is read from, for messages.</summary>
    string Location { get; }

    /// <summary>The whole body of a small object (at most <paramref name="maxBytes"/>), or null when absent.</summary>
    Task<byte[]?> TryReadAllAsync(string key, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>A stream over a (possibly huge) object, or null when absent.</summary>
    Task<Stream?> TryOpenReadAsync(string key, CancellationToken cancellationToken = default);
}
