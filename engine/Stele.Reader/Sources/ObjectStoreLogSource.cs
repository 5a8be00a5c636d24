using Stele.Storage;

namespace Stele.Reader.Sources;

/// <summary>A log read through Stele.Storage (S3 or a directory store).</summary>
public sealed class ObjectStoreLogSource(IObjectStore store, bool ownsStore = true) : ILogSource
{
    public string Location => store.Location;

    public async Task<byte[]?> TryReadAllAsync(string key, long maxBytes, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (stream is null) return null;
        if (stream.Properties.Size > maxBytes) throw new InvalidDataException($"{key} is {stream.Properties.Size} bytes; at most {maxBytes} expected");
        var body = new byte[stream.Properties.Size];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return body;
    }

    public async Task<Stream?> TryOpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        await store.TryGetAsync(key, cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => ownsStore ? store.DisposeAsync() : ValueTask.CompletedTask;

    public override string ToString() => Location;
}
