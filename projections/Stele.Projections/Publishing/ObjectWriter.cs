using Stele.Storage;

namespace Stele.Projections.Publishing;

/// <summary>
/// Writes one cycle's files with a bounded number in flight. An immutable file that already exists
/// is compared instead of rewritten: identical bytes are fine (a resumed cycle), different bytes
/// raise <see cref="PublicationAlarmException"/> and nothing is overwritten.
/// </summary>
internal sealed class ObjectWriter(IObjectStore store, int maxInFlight)
{
    private readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);

    public int Written { get; private set; }

    /// <summary>
    /// Runs the writes, each started on the thread pool: a directory store does its file work synchronously
    /// inside its async methods, so without this the "in flight" writes would run one after another.
    /// </summary>
    public Task WriteAllAsync(IEnumerable<Func<CancellationToken, Task>> writes, CancellationToken ct) =>
        Task.WhenAll(writes.Select(write => Task.Run(() => BoundedAsync(write, ct), ct)));

    public async Task PutImmutableAsync(string key, byte[] bytes, CancellationToken ct)
    {
        if (await store.HeadAsync(key, ct).ConfigureAwait(false) is { } existing)
        {
            if (existing.Size == bytes.Length && (await store.GetBytesAsync(key, ct).ConfigureAwait(false)).AsSpan().SequenceEqual(bytes)) return;
            throw new PublicationAlarmException(key, $"an immutable file exists with different bytes ({existing.Size} stored, {bytes.Length} computed); not overwritten");
        }
        await store.PutBytesAsync(key, bytes, PublishedObjects.Immutable, ct).ConfigureAwait(false);
        Count();
    }

    public async Task PutMutableAsync(string key, byte[] bytes, ObjectMetadata metadata, CancellationToken ct)
    {
        await store.PutBytesAsync(key, bytes, metadata, ct).ConfigureAwait(false);
        Count();
    }

    /// <summary>Copies a stored blob from <paramref name="source"/> to its published key (size-checked if it is already there).</summary>
    public async Task CopyImmutableAsync(IObjectStore source, string sourceKey, string key, ulong size, CancellationToken ct)
    {
        if (await store.HeadAsync(key, ct).ConfigureAwait(false) is { } existing)
        {
            if ((ulong)existing.Size == size) return;
            throw new PublicationAlarmException(key, $"a blob exists with {existing.Size} bytes, the entry says {size}; not overwritten");
        }
        await using var stream = await source.GetAsync(sourceKey, ct).ConfigureAwait(false);
        if ((ulong)stream.Properties.Size != size)
            throw new InvalidDataException($"the stored blob {sourceKey} has {stream.Properties.Size} bytes, the entry says {size}");
        await store.PutAsync(key, stream, PublishedObjects.Immutable, ct).ConfigureAwait(false);
        Count();
    }

    /// <summary>A blob the API already stored at its published key must be there with the right size.</summary>
    public async Task RequireAsync(string key, ulong size, CancellationToken ct)
    {
        var existing = await store.HeadAsync(key, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"blob {key} named by stele.contents is missing from {store.Location}");
        if ((ulong)existing.Size != size)
            throw new PublicationAlarmException(key, $"the blob has {existing.Size} bytes, the entry says {size}");
    }

    /// <summary>Deletes erased content; an object already gone is fine (a redone cycle).</summary>
    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        await store.DeleteAsync(key, ct).ConfigureAwait(false);
        Count();
    }

    private void Count()
    {
        lock (_slots) Written++;
    }

    private async Task BoundedAsync(Func<CancellationToken, Task> write, CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await write(ct).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
