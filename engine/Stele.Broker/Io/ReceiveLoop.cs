using System.Runtime.InteropServices;
using Stele.Broker.Counters;

namespace Stele.Broker.Io;

/// <summary>
/// The receiver thread: recvmmsg up to <see cref="Burst"/> datagrams per call straight into free slots
/// and hands them to the worker. With no free slot (the worker is behind) it still drains the socket
/// into a scratch area and counts the drops, so memory stays bounded and the kernel queue stays short.
/// </summary>
internal sealed unsafe class ReceiveLoop(int fd, PeerAddresses peers, DatagramSlots slots, SpscRing free, SpscRing filled, Doorbell worker, BrokerCounters counters)
{
    public const int Burst = 64;

    public void Run(CancellationToken stop)
    {
        var headers = stackalloc Native.MMsgHdr[Burst];
        var vectors = stackalloc Native.IoVec[Burst];
        var addresses = stackalloc Native.SockAddr[Burst];
        var taken = stackalloc int[Burst];
        var scratch = new DatagramSlots(Burst, slots.SlotSize);
        var count = 0;
        while (!stop.IsCancellationRequested)
        {
            while (count < Burst && free.TryDequeue(out var slot)) taken[count++] = slot;
            var into = count > 0 ? count : Burst;
            for (var i = 0; i < into; i++)
                Native.Describe(&headers[i], &vectors[i], count > 0 ? slots.Pointer(taken[i]) : scratch.Pointer(i), slots.SlotSize, &addresses[i], sizeof(Native.SockAddr));
            var received = Native.recvmmsg(fd, headers, (uint)into, Native.MsgWaitForOne, null);
            if (received <= 0) continue; // timeout (SO_RCVTIMEO) or EINTR: check for stop, try again
            counters.Add(BrokerCounter.DatagramsReceived, received);
            if (count == 0)
            {
                counters.Add(BrokerCounter.DroppedReceiveQueueFull, received);
                continue;
            }
            for (var i = 0; i < received; i++)
            {
                var slot = taken[i];
                slots.Length[slot] = (headers[i].Header.Flags & Native.MsgTrunc) != 0 ? slots.SlotSize + 1 : (int)headers[i].Length;
                slots.Peer[slot] = peers.Intern(addresses[i]);
                filled.TryEnqueue(slot); // cannot fail: filled and free share the slot count
            }
            // keep the slots recvmmsg did not use for the next call
            for (var i = received; i < count; i++) taken[i - received] = taken[i];
            count -= received;
            worker.Ring();
        }
    }

    public static int LastError => Marshal.GetLastPInvokeError();
}
