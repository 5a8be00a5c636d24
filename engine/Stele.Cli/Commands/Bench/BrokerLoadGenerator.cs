using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Stele.Broker.Io;
using Stele.Broker.Protocol;
using Stele.Crypto.Blake3;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// Precomputed SUBMIT datagrams for many simulated clients (entry j belongs to client j mod N, with
/// sequence j div N + 1), and a paced sender that pushes them with sendmmsg from several sockets.
/// Building the datagrams (salts, commitments) happens before the clock starts.
/// </summary>
internal sealed unsafe class BrokerLoadGenerator
{
    public const int Burst = 64;
    private readonly byte[] _datagrams;
    private readonly int _stride;

    public BrokerLoadGenerator(ulong[] clients, int entries, int contentBytes)
    {
        Clients = clients;
        Entries = entries;
        var media = "application/vnd.vote"u8.ToArray();
        _stride = WireFormat.HeaderLength + 8 + 8 + 32 + 32 + 1 + media.Length + 2 + contentBytes + 1;
        _datagrams = GC.AllocateUninitializedArray<byte>(entries * _stride, pinned: true);
        SentAt = new long[entries];
        Parallel.For(0, (entries + 4095) / 4096, chunk =>
        {
            Span<byte> salt = stackalloc byte[32];
            Span<byte> content = stackalloc byte[contentBytes];
            Span<byte> commitment = stackalloc byte[32];
            for (var j = chunk * 4096; j < Math.Min(entries, (chunk + 1) * 4096); j++)
            {
                RandomNumberGenerator.Fill(salt);
                RandomNumberGenerator.Fill(content);
                Blake3.KeyedHash(salt, content, commitment);
                new SubmitMessage
                {
                    Client = clients[j % clients.Length],
                    Sequence = (ulong)(j / clients.Length) + 1,
                    Salt = salt,
                    Commitment = commitment,
                    MediaType = media,
                    Content = content,
                }.EncodeTo(_datagrams.AsSpan(j * _stride, _stride));
            }
        });
    }

    public ulong[] Clients { get; }
    public int Entries { get; }
    /// <summary>Stopwatch timestamp at which entry j was handed to the kernel.</summary>
    public long[] SentAt { get; }

    public int EntryIndex(ulong client, int clientIndex, ulong sequence) => checked((int)((sequence - 1) * (ulong)Clients.Length) + clientIndex);

    /// <summary>Sends every datagram to <paramref name="target"/> at <paramref name="rate"/> per second (0 = as fast as possible), round-robin over the sockets.</summary>
    public void Send(Socket[] sockets, IPEndPoint target, double rate, CancellationToken stop)
    {
        var headers = stackalloc Native.MMsgHdr[Burst];
        var vectors = stackalloc Native.IoVec[Burst];
        var address = Native.FromSource(SourceAddress.From(target));
        var start = Stopwatch.GetTimestamp();
        var ticksPerEntry = rate > 0 ? Stopwatch.Frequency / rate : 0;
        fixed (byte* data = _datagrams)
        {
            for (var next = 0; next < Entries && !stop.IsCancellationRequested;)
            {
                if (ticksPerEntry > 0)
                {
                    var due = start + (long)(next * ticksPerEntry);
                    while (Stopwatch.GetTimestamp() < due) Thread.SpinWait(20);
                }
                var count = Math.Min(Burst, Entries - next);
                for (var i = 0; i < count; i++) Native.Describe(&headers[i], &vectors[i], data + (long)(next + i) * _stride, _stride, &address);
                var fd = (int)sockets[(next / Burst) % sockets.Length].Handle;
                var sent = 0;
                while (sent < count)
                {
                    var n = Native.sendmmsg(fd, headers + sent, (uint)(count - sent), 0);
                    if (n > 0) sent += n;
                    else Thread.Yield(); // ENOBUFS: the loopback queue is full; try again
                }
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++) SentAt[next + i] = now;
                next += count;
            }
        }
    }

    public static Socket[] OpenSockets(int count, int bufferBytes) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            {
                ReceiveBufferSize = bufferBytes,
                SendBufferSize = bufferBytes,
                ReceiveTimeout = 100,
            };
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        }).ToArray();
}
