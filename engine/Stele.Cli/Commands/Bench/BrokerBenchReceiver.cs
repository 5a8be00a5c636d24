using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Stele.Broker.Io;
using Stele.Broker.Protocol;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// The load generator's receiving side, one thread per socket: counts PROOFs per (batch, client) and,
/// once a client holds proofs for all its entries in the batch, sends its share; records when each
/// batch is committed (RESULT). Proofs are not re-verified here — the real client does that; the
/// benchmark spends its two cores on the broker.
/// </summary>
internal sealed unsafe class BrokerBenchReceiver(BrokerLoadGenerator load, BrokerBenchClients clients, IPEndPoint broker)
{
    private readonly Dictionary<UInt128, Track> _batches = [];
    private readonly object _gate = new();

    public long Rejected;
    public long Proofs;

    public IReadOnlyCollection<Track> Batches
    {
        get
        {
            lock (_gate) return _batches.Values.ToArray();
        }
    }

    public void Run(System.Net.Sockets.Socket socket, CancellationToken stop)
    {
        const int burst = 64, slot = 2048;
        var fd = (int)socket.Handle;
        var buffer = GC.AllocateUninitializedArray<byte>(burst * slot, pinned: true);
        var headers = stackalloc Native.MMsgHdr[burst];
        var vectors = stackalloc Native.IoVec[burst];
        var outgoing = new List<(Track Track, int Client)>();
        var target = Native.FromSource(SourceAddress.From(broker));
        fixed (byte* data = buffer)
        {
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < burst; i++) Native.Describe(&headers[i], &vectors[i], data + i * slot, slot, null);
                var n = Native.recvmmsg(fd, headers, burst, Native.MsgWaitForOne, null);
                if (n <= 0) continue;
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < n; i++) Handle(buffer.AsSpan(i * slot, (int)headers[i].Length), now, outgoing);
                if (outgoing.Count > 0) SendShares(fd, target, outgoing);
            }
        }
    }

    private void Handle(ReadOnlySpan<byte> datagram, long now, List<(Track, int)> outgoing)
    {
        if (datagram.Length < 2) return;
        switch ((MessageType)datagram[1])
        {
            case MessageType.Proof when ProofMessage.TryDecode(datagram, out var proof) == DecodeError.None:
                Interlocked.Increment(ref Proofs);
                if (!clients.Index.TryGetValue(proof.Client, out var client)) return;
                var track = TrackFor(proof.Root, proof.Batch, (int)proof.Count, now);
                var sentAt = load.SentAt[load.EntryIndex(proof.Client, client, proof.Sequence)];
                lock (track)
                {
                    if (sentAt < track.FirstSent) track.FirstSent = sentAt;
                    if (++track.ProofsPerClient[client] == proof.ClientCount) outgoing.Add((track, client));
                }
                break;
            case MessageType.Result when ResultMessage.TryDecode(datagram, out var result) == DecodeError.None:
                var done = TrackFor(result.Root, result.Batch, 0, now);
                lock (done)
                {
                    if (done.CommittedAt == 0 && result.Status == ResultStatus.Committed) done.CommittedAt = now;
                    done.Results++;
                }
                break;
            case MessageType.Reject:
                Interlocked.Increment(ref Rejected);
                break;
        }
    }

    private Track TrackFor(ReadOnlySpan<byte> root, ulong batch, int count, long now)
    {
        var key = new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(root), BinaryPrimitives.ReadUInt64LittleEndian(root[8..]));
        lock (_gate)
        {
            if (!_batches.TryGetValue(key, out var track))
            {
                _batches[key] = track = new Track(batch, root.ToArray(), count, clients.Ids.Length, now) { Clients = clients.Ids };
                if (count > 0) track.Shares = Task.Run(() => clients.SharesFor(track.Root, track.Count)); // two signatures + N additions, off this thread
            }
            return track;
        }
    }

    private static void SendShares(int fd, Native.SockAddrIn target, List<(Track Track, int Client)> outgoing)
    {
        var datagram = stackalloc byte[ShareMessage.FixedLength + WireFormat.UncompressedShareLength];
        var span = new Span<byte>(datagram, ShareMessage.FixedLength + WireFormat.UncompressedShareLength);
        Native.IoVec vector;
        Native.MMsgHdr header;
        Native.Describe(&header, &vector, datagram, span.Length, &target);
        foreach (var (track, client) in outgoing)
        {
            var shares = track.Shares!.GetAwaiter().GetResult();
            new ShareMessage
            {
                Client = track.Clients[client],
                Batch = track.Batch,
                Root = track.Root,
                Signature = shares.AsSpan(client * WireFormat.UncompressedShareLength, WireFormat.UncompressedShareLength),
            }.EncodeTo(span);
            Native.sendmmsg(fd, &header, 1, 0);
        }
        outgoing.Clear();
    }

    internal sealed class Track(ulong batch, byte[] root, int count, int clients, long firstProof)
    {
        public ulong Batch { get; } = batch;
        public byte[] Root { get; } = root;
        public int Count { get; } = count;
        public int[] ProofsPerClient { get; } = new int[clients];
        public ulong[] Clients { get; set; } = [];
        public Task<byte[]>? Shares { get; set; }
        public long FirstProof { get; } = firstProof;
        public long FirstSent { get; set; } = long.MaxValue;
        public long CommittedAt { get; set; }
        public int Results { get; set; }
    }
}
