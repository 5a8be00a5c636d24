using Stele.Broker.Batching;

namespace Stele.Broker.Io;

/// <summary>
/// One producer's lane into the sender: copies a datagram into a free send slot and wakes the sender.
/// A dropping lane (the worker's) refuses when full; a waiting lane (the proposer's) waits for the
/// sender to free a slot, so a batch's proof burst is paced by the socket instead of dropped.
/// </summary>
internal sealed class SendQueue(DatagramSlots slots, SpscRing free, SpscRing queued, Doorbell sender, CancellationToken waitUntil = default, bool waitWhenFull = false) : IBrokerOutbox
{
    public DatagramSlots Slots => slots;
    public SpscRing Queued => queued;
    public SpscRing Free => free;

    public bool TrySend(ulong destination, ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > slots.SlotSize) return false;
        int slot;
        var spin = new SpinWait();
        while (!free.TryDequeue(out slot))
        {
            if (!waitWhenFull || waitUntil.IsCancellationRequested) return false;
            sender.Ring();
            spin.SpinOnce(sleep1Threshold: 20);
        }
        datagram.CopyTo(slots.Buffer(slot));
        slots.Length[slot] = datagram.Length;
        slots.Peer[slot] = destination;
        queued.TryEnqueue(slot);
        sender.Ring();
        return true;
    }
}
