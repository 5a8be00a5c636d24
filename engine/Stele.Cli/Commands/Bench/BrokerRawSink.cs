using System.Net.Sockets;
using Stele.Broker.Io;

namespace Stele.Cli.Commands.Bench;

/// <summary>The raw-UDP baseline: a socket whose one thread only calls recvmmsg and counts what arrives.</summary>
internal sealed unsafe class BrokerRawSink
{
    public long Received;

    public void Run(Socket socket, CancellationToken stop)
    {
        const int burst = 64, slot = 2048;
        var fd = (int)socket.Handle;
        var buffer = GC.AllocateUninitializedArray<byte>(burst * slot, pinned: true);
        var headers = stackalloc Native.MMsgHdr[burst];
        var vectors = stackalloc Native.IoVec[burst];
        fixed (byte* data = buffer)
        {
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < burst; i++) Native.Describe(&headers[i], &vectors[i], data + i * slot, slot, null);
                var n = Native.recvmmsg(fd, headers, burst, Native.MsgWaitForOne, null);
                if (n > 0) Interlocked.Add(ref Received, n);
            }
        }
    }
}
