namespace Stele.Storage;

/// <summary>
/// A flat namespace of immutable-per-version objects addressed by '/'-separated keys: the one
/// storage abstraction every published Stele file goes through. Implementations stream bodies in
/// both directions and never hold a whole object in memory.
/// </summary>
/// <remarks>
/// Keys are checked by <see cref="ObjectKey.Validate"/>; an invalid key throws
/// <see cref="InvalidObjectKeyException"/> before anything touches the backend.
/// </remarks>
public interface IObjectStore : IAsyncDisposable
{
    /// <summary>Where this store lives, e.g. <c>file:///srv/board</c> or <c>s3://bucket/prefix</c>.</summary>
    string Location { get; }

    /// <summary>Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>, replacing any existing object.</summary>
    Task PutAsync(string key, Stream content, ObjectMetadata metadata, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for reading, streaming from the backend.</summary>
    /// <exception cref="ObjectNotFoundException">No object has this key.</exception>
    Task<ObjectReadStream> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="GetAsync"/>, but a missing object is <c>null</c> rather than an exception.</summary>
    Task<ObjectReadStream?> TryGetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Size and metadata of the object, or <c>null</c> when it does not exist.</summary>
    Task<ObjectProperties?> HeadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every object whose key starts with <paramref name="prefix"/>, in ascending byte-wise (UTF-8 ordinal)
    /// key order, strictly after <paramref name="startAfter"/> when given. Paging happens inside.
    /// </summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix = "", string? startAfter = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the object; removing a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a write of unknown size. Nothing is visible under <paramref name="key"/> until
    /// <see cref="ObjectWriteStream.CompleteAsync"/> succeeds; disposing without completing leaves nothing behind.
    /// </summary>
    Task<ObjectWriteStream> OpenWriteAsync(string key, ObjectMetadata metadata, CancellationToken cancellationToken = default);
}
