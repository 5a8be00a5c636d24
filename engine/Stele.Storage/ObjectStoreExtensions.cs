namespace Stele.Storage;

/// <summary>Conveniences for small objects, where holding the body in memory is fine.</summary>
public static class ObjectStoreExtensions
{
    public static async Task PutBytesAsync(
        this IObjectStore store, string key, ReadOnlyMemory<byte> content, ObjectMetadata metadata, CancellationToken cancellationToken = default)
    {
        await using var writer = await store.OpenWriteAsync(key, metadata, cancellationToken).ConfigureAwait(false);
        await writer.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole body of a small object.</summary>
    /// <exception cref="ObjectNotFoundException">No object has this key.</exception>
    public static async Task<byte[]> GetBytesAsync(this IObjectStore store, string key, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        var body = new byte[stream.Properties.Size];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        // Read to the end as well, so a backend's integrity check (S3's ETag) runs and an overlong body shows.
        if (await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
            throw new ObjectStoreException($"Object '{key}' in {store.Location} is longer than its stated size of {body.Length} bytes.");
        return body;
    }

    public static async Task<bool> ExistsAsync(this IObjectStore store, string key, CancellationToken cancellationToken = default) =>
        await store.HeadAsync(key, cancellationToken).ConfigureAwait(false) is not null;
}
