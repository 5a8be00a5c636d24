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
            for (var i = 0; i < burst; i++)
            {
                vectors[i].Base = data + i * slot;
                vectors[i].Length = slot;
            }
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < burst; i++)
                {
                    headers[i] = default;
                    headers[i].Header.Iov = &vectors[i];
                    headers[i].Header.IovLength = 1;
                }
                var n = Native.recvmmsg(fd, headers, burst, Native.MsgWaitForOne, null);
                if (n > 0) Interlocked.Add(ref Received, n);
            }
        }
    }
}
