using Stele.Storage;

namespace Stele.Projections.Tests.Support;

/// <summary>An object store that dies after a number of writes, as a publisher killed mid-cycle would.</summary>
internal sealed class FailingStore(IObjectStore inner, int writesBeforeFailure) : IObjectStore
{
    private int _writes;

    public string Location => inner.Location;

    private void Tick()
    {
        if (Interlocked.Increment(ref _writes) > writesBeforeFailure) throw new IOException("simulated crash");
    }

    public Task PutAsync(string key, Stream content, ObjectMetadata metadata, CancellationToken cancellationToken = default)
    {
        Tick();
        return inner.PutAsync(key, content, metadata, cancellationToken);
    }

    public Task<ObjectWriteStream> OpenWriteAsync(string key, ObjectMetadata metadata, CancellationToken cancellationToken = default)
    {
        Tick();
        return inner.OpenWriteAsync(key, metadata, cancellationToken);
    }

    public Task<ObjectReadStream> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);
    public Task<ObjectReadStream?> TryGetAsync(string key, CancellationToken cancellationToken = default) => inner.TryGetAsync(key, cancellationToken);
    public Task<ObjectProperties?> HeadAsync(string key, CancellationToken cancellationToken = default) => inner.HeadAsync(key, cancellationToken);
    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix = "", string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, startAfter, cancellationToken);
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
