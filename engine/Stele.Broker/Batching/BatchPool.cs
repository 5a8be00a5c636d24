namespace Stele.Broker.Batching;

/// <summary>A fixed set of batch buffers: one collecting plus the in-flight limit. An empty pool is the back-pressure signal.</summary>
internal sealed class BatchPool(int batches, int capacity, int arenaBytes)
{
    private readonly Stack<Batch> _free = new(Enumerable.Range(0, batches).Select(_ => new Batch(capacity, arenaBytes)));

    public int Free => _free.Count;

    public bool TryRent(out Batch batch) => _free.TryPop(out batch!);

    public void Return(Batch batch)
    {
        batch.State = BatchState.Free;
        _free.Push(batch);
    }
}
