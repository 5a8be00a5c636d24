using Stele.Broker.Counters;

namespace Stele.Broker.Io;

/// <summary>The sender thread: sendmmsg up to <see cref="Burst"/> queued datagrams per call, then returns their slots to the worker.</summary>
internal sealed unsafe class SendLoop(int fd, DatagramSlots slots, SpscRing queued, SpscRing free, Doorbell bell, BrokerCounters counters)
{
    public const int Burst = 64;

    public void Run(CancellationToken stop)
    {
        var headers = stackalloc Native.MMsgHdr[Burst];
        var vectors = stackalloc Native.IoVec[Burst];
        var addresses = stackalloc Native.SockAddrIn[Burst];
        var taken = stackalloc int[Burst];
        while (true)
        {
            var count = 0;
            while (count < Burst && queued.TryDequeue(out var slot)) taken[count++] = slot;
            if (count == 0)
            {
                if (stop.IsCancellationRequested) return;
                bell.Sleep(queued, 5);
                continue;
            }
            for (var i = 0; i < count; i++)
            {
                var slot = taken[i];
                addresses[i] = Native.FromSource(slots.Peer[slot]);
                Native.Describe(&headers[i], &vectors[i], slots.Pointer(slot), slots.Length[slot], &addresses[i]);
            }
            var done = 0;
            var dropped = 0;
            while (done < count)
            {
                var sent = Native.sendmmsg(fd, headers + done, (uint)(count - done), 0);
                if (sent > 0) done += sent;
                else
                {
                    done++; // the first datagram failed (e.g. ECONNREFUSED from an earlier ICMP error): skip it, count it
                    dropped++;
                }
            }
            if (dropped > 0) counters.Add(BrokerCounter.DroppedSendQueueFull, dropped);
            for (var i = 0; i < count; i++) free.TryEnqueue(taken[i]);
        }
    }
}
