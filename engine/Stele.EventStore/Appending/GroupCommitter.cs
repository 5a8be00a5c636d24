namespace Stele.EventStore.Appending;

/// <summary>
/// Group commit for any kind of write: callers <see cref="Enqueue"/> items; up to
/// <c>maxConcurrentFlushes</c> flush loops each take everything queued (within the limits) and
/// write it as one group, typically one transaction. A lone item goes out at once (no added
/// delay); groups only form while earlier ones are in flight. Each flush loop keeps a lane
/// (typically an open connection with prepared statements) while the queue has work, and drops
/// it when the queue runs dry or a write fails.
/// </summary>
public abstract class GroupCommitter<TItem, TLane>
    where TItem : class
    where TLane : class, IAsyncDisposable
{
    private readonly LinkedList<TItem> _queue = new();
    private readonly int _maxConcurrentFlushes;
    private readonly int _maxItemsPerGroup;
    private readonly int _maxWeightPerGroup;
    private int _flushers;

    protected GroupCommitter(int maxConcurrentFlushes, int maxItemsPerGroup, int maxWeightPerGroup)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentFlushes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItemsPerGroup, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWeightPerGroup, 1);
        (_maxConcurrentFlushes, _maxItemsPerGroup, _maxWeightPerGroup) = (maxConcurrentFlushes, maxItemsPerGroup, maxWeightPerGroup);
    }

    /// <summary>Opens what a flush loop writes through (e.g. a connection).</summary>
    protected abstract Task<TLane> OpenLaneAsync();

    /// <summary>Writes one group and settles each of its items. Throwing means the lane is unusable.</summary>
    protected abstract Task WriteAsync(TLane lane, List<TItem> group);

    /// <summary>Settles an item whose group failed as a whole.</summary>
    protected abstract void Fail(TItem item, Exception error);

    /// <summary>An item's share of <c>maxWeightPerGroup</c> (e.g. its number of events).</summary>
    protected virtual int WeightOf(TItem item) => 1;

    /// <summary>
    /// A fresh admission test for one group: it returns false for an item that must wait for a
    /// later group (e.g. it conflicts with one already admitted), true after admitting it.
    /// Items left behind keep their place at the head of the queue.
    /// </summary>
    protected virtual Func<TItem, bool> NewGroupAdmission() => static _ => true;

    protected void Enqueue(TItem item)
    {
        lock (_queue) _queue.AddLast(item);
        TryStartFlusher();
    }

    private bool QueueIsEmpty
    {
        get
        {
            lock (_queue) return _queue.Count == 0;
        }
    }

    private void TryStartFlusher()
    {
        while (!QueueIsEmpty)
        {
            var running = Volatile.Read(ref _flushers);
            if (running >= _maxConcurrentFlushes) return;
            if (Interlocked.CompareExchange(ref _flushers, running + 1, running) != running) continue;
            // Started inline: the caller's thread carries the flush to its first network wait,
            // saving a thread-pool hop per group (what bounds latency-bound callers).
            _ = FlushLoopAsync();
            return;
        }
    }

    private async Task FlushLoopAsync()
    {
        TLane? lane = null;
        try
        {
            var group = new List<TItem>();
            while (TakeGroup(group))
            {
                try
                {
                    lane ??= await OpenLaneAsync().ConfigureAwait(false);
                    await WriteAsync(lane, group).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    foreach (var item in group) Fail(item, ex);
                    // The lane may be broken or mid-transaction: never reuse it.
                    if (lane is not null) await DisposeQuietlyAsync(lane).ConfigureAwait(false);
                    lane = null;
                }
                group.Clear();
            }
        }
        finally
        {
            if (lane is not null) await DisposeQuietlyAsync(lane).ConfigureAwait(false);
            Interlocked.Decrement(ref _flushers);
            TryStartFlusher(); // an item may have queued after our last look
        }
    }

    private bool TakeGroup(List<TItem> group)
    {
        var admit = NewGroupAdmission();
        var weight = 0;
        lock (_queue)
        {
            var node = _queue.First;
            // Look a bounded distance past items that must wait, so a long queue costs little.
            var looked = 0;
            while (node is not null && group.Count < _maxItemsPerGroup && looked++ < 4 * _maxItemsPerGroup)
            {
                var next = node.Next;
                var itemWeight = WeightOf(node.Value);
                if (group.Count > 0 && weight + itemWeight > _maxWeightPerGroup) break;
                if (admit(node.Value))
                {
                    group.Add(node.Value);
                    weight += itemWeight;
                    _queue.Remove(node);
                }
                node = next;
            }
        }
        return group.Count > 0;
    }

    private static async Task DisposeQuietlyAsync(TLane lane)
    {
        try
        {
            await lane.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A broken lane may fail to close; its items were already settled.
        }
    }
}
