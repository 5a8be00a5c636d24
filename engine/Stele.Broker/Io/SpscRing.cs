namespace Stele.Broker.Io;

/// <summary>A bounded single-producer/single-consumer ring of slot numbers: the queues between the pinned threads.</summary>
internal sealed class SpscRing
{
    private readonly int[] _items;
    private readonly int _mask;
    private long _head; // next to read (consumer)
    private long _tail; // next to write (producer)

    public SpscRing(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0) throw new ArgumentException("ring capacity must be a power of two", nameof(capacity));
        _items = new int[capacity];
        _mask = capacity - 1;
    }

    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    public bool TryEnqueue(int item)
    {
        var tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _items.Length) return false;
        _items[tail & _mask] = item;
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    public bool TryDequeue(out int item)
    {
        var head = _head;
        if (head >= Volatile.Read(ref _tail))
        {
            item = 0;
            return false;
        }
        item = _items[head & _mask];
        Volatile.Write(ref _head, head + 1);
        return true;
    }
}

/// <summary>Wakes a consumer that went to sleep on an empty queue; producers ring only when someone sleeps.</summary>
internal sealed class Doorbell
{
    private readonly ManualResetEventSlim _event = new(false, 0);
    private int _sleeping;

    public void Ring()
    {
        Interlocked.MemoryBarrier(); // the producer's enqueue must be visible before it reads the sleeping flag
        if (Volatile.Read(ref _sleeping) != 0) _event.Set();
    }

    /// <summary>Sleeps up to <paramref name="milliseconds"/> unless <paramref name="watched"/> fills after the sleep is announced.</summary>
    public void Sleep(SpscRing watched, int milliseconds) => Sleep([watched], milliseconds);

    /// <summary>Sleeps up to <paramref name="milliseconds"/> unless one of <paramref name="watched"/> fills after the sleep is announced.</summary>
    public void Sleep(ReadOnlySpan<SpscRing> watched, int milliseconds)
    {
        _event.Reset();
        Interlocked.Exchange(ref _sleeping, 1);
        var empty = true;
        foreach (var ring in watched) empty &= ring.Count == 0;
        if (empty) _event.Wait(milliseconds);
        Volatile.Write(ref _sleeping, 0);
    }
}
