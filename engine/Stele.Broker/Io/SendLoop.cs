using Stele.Broker.Counters;

namespace Stele.Broker.Io;

/// <summary>
/// The sender thread: takes up to <see cref="Burst"/> queued datagrams from each lane in turn (the
/// worker's replies, the proposer's proofs), sendmmsg's them, then returns their slots to that lane.
/// </summary>
internal sealed unsafe class SendLoop(int fd, bool ipv6Socket, PeerAddresses peers, SendQueue[] lanes, Doorbell bell, BrokerCounters counters)
{
    public const int Burst = 64;

    public void Run(CancellationToken stop)
    {
        var headers = stackalloc Native.MMsgHdr[Burst];
        var vectors = stackalloc Native.IoVec[Burst];
        var addresses = stackalloc Native.SockAddr[Burst];
        var taken = stackalloc int[Burst];
        var addressLength = ipv6Socket ? sizeof(Native.SockAddr) : sizeof(Native.SockAddrIn);
        var queues = new SpscRing[lanes.Length];
        for (var l = 0; l < lanes.Length; l++) queues[l] = lanes[l].Queued;
        while (true)
        {
            var any = false;
            foreach (var lane in lanes)
            {
                var count = 0;
                var forgotten = 0;
                while (count < Burst && lane.Queued.TryDequeue(out var slot))
                {
                    if (peers.TryResolve(lane.Slots.Peer[slot], ipv6Socket, out addresses[count])) taken[count++] = slot;
                    else
                    {
                        lane.Free.TryEnqueue(slot);
                        forgotten++;
                    }
                }
                if (forgotten > 0) counters.Add(BrokerCounter.DroppedPeerForgotten, forgotten);
                if (count == 0) continue;
                any = true;
                for (var i = 0; i < count; i++)
                    Native.Describe(&headers[i], &vectors[i], lane.Slots.Pointer(taken[i]), lane.Slots.Length[taken[i]], &addresses[i], addressLength);
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
                for (var i = 0; i < count; i++) lane.Free.TryEnqueue(taken[i]);
            }
            if (!any)
            {
                if (stop.IsCancellationRequested) return;
                bell.Sleep(queues, 5);
            }
        }
    }
}
