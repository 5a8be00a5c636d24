using Stele.Broker.Batching;

namespace Stele.Broker.Io;

/// <summary>The worker's side of the sender queue: copies a datagram into a free send slot and wakes the sender.</summary>
internal sealed class SendQueue(DatagramSlots slots, SpscRing free, SpscRing queued, Doorbell sender) : IBrokerOutbox
{
    public bool TrySend(ulong destination, ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > slots.SlotSize || !free.TryDequeue(out var slot)) return false;
        datagram.CopyTo(slots.Buffer(slot));
        slots.Length[slot] = datagram.Length;
        slots.Peer[slot] = destination;
        queued.TryEnqueue(slot);
        sender.Ring();
        return true;
    }
}
