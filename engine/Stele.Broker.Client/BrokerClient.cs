using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Stele.Broker.Protocol;
using Stele.Crypto.Blake3;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Broker;

/// <summary>
/// A registered client speaking the broker protocol (docs/broker.md): submits entries, checks each
/// inclusion proof against the root, signs the root with its BLS key only when the batch holds exactly
/// its own entries, retransmits submissions and shares until answered, and learns each leaf index.
/// </summary>
public sealed class BrokerClient : IAsyncDisposable
{
    private readonly LogOrigin _origin;
    private readonly ClientId _id;
    private readonly Ed25519SecretKey _ed25519;
    private readonly BlsSecretKey _bls;
    private readonly Socket _socket;
    private readonly TimeSpan _retransmit;
    private readonly ConcurrentDictionary<ulong, Pending> _pending = new();
    private readonly ConcurrentDictionary<UInt128, Proposal> _proposals = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver, _retransmitter;

    /// <param name="retransmit">How long to wait for an answer before sending a submission or share again.</param>
    public BrokerClient(LogOrigin origin, Ed25519SecretKey ed25519, BlsSecretKey bls, IPEndPoint broker, TimeSpan? retransmit = null)
    {
        _origin = origin;
        _ed25519 = ed25519;
        _bls = bls;
        _id = ClientId.FromKeys(ed25519.PublicKey, bls.PublicKey);
        _retransmit = retransmit ?? TimeSpan.FromMilliseconds(300);
        _socket = new Socket(broker.AddressFamily, SocketType.Dgram, ProtocolType.Udp); // IPv4 or IPv6, as the broker address says
        _socket.Connect(broker);
        _receiver = Task.Run(ReceiveAsync);
        _retransmitter = Task.Run(RetransmitAsync);
    }

    public ClientId Id => _id;

    /// <summary>Submissions sent again because no proof (or result) came in time.</summary>
    public int Retransmissions => _retransmissions;
    private int _retransmissions;

    /// <summary>Proofs that did not verify against their root (ignored).</summary>
    public int BadProofs => _badProofs;
    private int _badProofs;

    /// <summary>
    /// Sends one entry; completes when the broker reports its leaf index or a rejection. With
    /// <paramref name="signIndividually"/> the entry also carries an Ed25519 signature, so it survives as a
    /// straggler if this client's BLS share is lost.
    /// </summary>
    public Task<BrokerEntryResult> SubmitAsync(ulong sequence, ReadOnlySpan<byte> content, string mediaType = "application/octet-stream", bool signIndividually = false)
    {
        var salt = Salt.NewRandom();
        var commitment = Commitment.Compute(salt, content);
        var descriptor = new EntryDescriptor(_id, sequence, commitment, (ulong)content.Length, new MediaType(mediaType));
        var signature = signIndividually ? _ed25519.Sign(SigningMessages.Entry(_origin, descriptor)).ToArray() : [];
        var commitmentBytes = new byte[WireFormat.HashLength];
        commitment.CopyTo(commitmentBytes);
        var datagram = new byte[WireFormat.MaxDatagram];
        var length = new SubmitMessage
        {
            Client = _id.Value,
            Sequence = sequence,
            Salt = salt.AsSpan(),
            Commitment = commitmentBytes,
            MediaType = System.Text.Encoding.ASCII.GetBytes(mediaType),
            Content = content,
            Signature = signature,
        }.EncodeTo(datagram);
        var pending = new Pending(descriptor, datagram[..length]);
        if (!_pending.TryAdd(sequence, pending)) throw new ArgumentException($"sequence {sequence} is already pending", nameof(sequence));
        Send(pending.Submit);
        return pending.Done.Task;
    }

    private void Send(byte[] datagram)
    {
        try
        {
            _socket.Send(datagram);
        }
        catch (SocketException)
        {
            // UDP: an ICMP error from an earlier send surfaces here; the retransmitter tries again
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[WireFormat.MaxDatagram + 1];
        while (!_stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // connection refused (broker not up yet) and the like: keep listening
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Handle(buffer.AsSpan(0, length));
        }
    }

    private void Handle(ReadOnlySpan<byte> datagram)
    {
        if (Datagram.TryReadType(datagram, out var type) != DecodeError.None) return;
        switch (type)
        {
            case MessageType.Proof when ProofMessage.TryDecode(datagram, out var proof) == DecodeError.None:
                OnProof(proof);
                break;
            case MessageType.Result when ResultMessage.TryDecode(datagram, out var result) == DecodeError.None:
                OnResult(result);
                break;
            case MessageType.Reject when RejectMessage.TryDecode(datagram, out var reject) == DecodeError.None:
                OnReject(reject);
                break;
        }
    }

    private void OnProof(ProofMessage proof)
    {
        if (proof.Client != _id.Value || !_pending.TryGetValue(proof.Sequence, out var pending)) return;
        var path = new Blake3Hash[proof.Path.Length / WireFormat.HashLength];
        for (var i = 0; i < path.Length; i++) path[i] = Blake3Hash.FromBytes(proof.Path.Slice(i * WireFormat.HashLength, WireFormat.HashLength));
        var root = BatchRoot.FromBytes(proof.Root);
        if (!BatchTree.VerifyInclusion(pending.Descriptor, (int)proof.Index, (int)proof.Count, path, root))
        {
            Interlocked.Increment(ref _badProofs);
            return;
        }
        var key = Key(proof.Root);
        if (!_proposals.TryGetValue(key, out var proposal))
            proposal = _proposals.GetOrAdd(key, new Proposal(proof.Batch, proof.Root.ToArray(), (int)proof.Count, (int)proof.ClientCount));
        byte[]? share = null;
        lock (proposal)
        {
            pending.Root = key;
            pending.Index = proof.Index;
            pending.ProvenAt = DateTime.UtcNow;
            proposal.Proven.Add(proof.Sequence);
            // Sign only when every entry the batch holds under our id is one we sent (no one slipped extras in).
            if (proposal.Share is null && proposal.Proven.Count == proposal.ClientCount)
            {
                var message = SigningMessages.Distilled(_origin, root, proposal.Count);
                proposal.Share = new ShareMessage { Client = _id.Value, Batch = proposal.Batch, Root = proposal.Root, Signature = _bls.Sign(message).ToUncompressedBytes() }
                    .ToArray();
                proposal.SharedAt = DateTime.UtcNow;
                share = proposal.Share;
            }
        }
        if (share is not null) Send(share);
    }

    private void OnResult(ResultMessage result)
    {
        if (result.Client != _id.Value || !_proposals.TryGetValue(Key(result.Root), out var proposal)) return;
        lock (proposal)
        {
            proposal.Committed |= result.Status == ResultStatus.Committed;
            if (result.Status == ResultStatus.Committed) return;
        }
        ulong[] proven;
        lock (proposal) proven = [.. proposal.Proven];
        foreach (var sequence in proven)
        {
            if (!_pending.TryRemove(sequence, out var pending)) continue;
            pending.Done.TrySetResult(result.Status == ResultStatus.InLog
                ? new BrokerEntryResult(sequence, result.Value + pending.Index, null)
                : new BrokerEntryResult(sequence, null, "the batch was not written or the fold refused it"));
        }
        _proposals.TryRemove(Key(result.Root), out _);
    }

    private void OnReject(RejectMessage reject)
    {
        if (reject.Client != _id.Value || !_pending.TryGetValue(reject.Sequence, out var pending)) return;
        if (reject.Reason == RejectReason.ReplayedSequence && pending.ProvenAt is not null) return; // our own retransmission, already batched
        if (_pending.TryRemove(reject.Sequence, out _))
            pending.Done.TrySetResult(new BrokerEntryResult(reject.Sequence, null, Describe(reject.Reason)));
    }

    private async Task RetransmitAsync()
    {
        using var timer = new PeriodicTimer(_retransmit);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var now = DateTime.UtcNow;
                foreach (var pending in _pending.Values)
                {
                    if (pending.ProvenAt is null && now - pending.SentAt >= _retransmit)
                    {
                        pending.SentAt = now;
                        Interlocked.Increment(ref _retransmissions);
                        Send(pending.Submit);
                    }
                }
                foreach (var proposal in _proposals.Values)
                {
                    byte[]? share;
                    lock (proposal) share = proposal.Share is { } s && !proposal.Committed && now - proposal.SharedAt >= _retransmit ? s : null;
                    if (share is null) continue;
                    proposal.SharedAt = now;
                    Interlocked.Increment(ref _retransmissions);
                    Send(share);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static UInt128 Key(ReadOnlySpan<byte> root) =>
        new(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(root), System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(root[8..]));

    public static string Describe(RejectReason reason) => reason switch
    {
        RejectReason.ReplayedSequence => "the sequence number is not above the last one this broker accepted for the client",
        RejectReason.DuplicateInBatch => "the same entry or commitment is already in the batch",
        RejectReason.CommitmentMismatch => "the commitment does not match the salt and content",
        RejectReason.Overloaded => "the broker is overloaded; try again later",
        RejectReason.NotCovered => "no valid BLS share or individual signature covered the entry",
        RejectReason.BatchFailed => "the batch could not be distilled or written",
        _ => $"rejected ({(byte)reason})",
    };

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            await Task.WhenAll(_receiver, _retransmitter).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        foreach (var pending in _pending.Values) pending.Done.TrySetCanceled();
    }

    private sealed class Pending(EntryDescriptor descriptor, byte[] submit)
    {
        public EntryDescriptor Descriptor { get; } = descriptor;
        public byte[] Submit { get; } = submit;
        public TaskCompletionSource<BrokerEntryResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public DateTime SentAt { get; set; } = DateTime.UtcNow;
        public DateTime? ProvenAt { get; set; }
        public UInt128 Root { get; set; }
        public uint Index { get; set; }
    }

    private sealed class Proposal(ulong batch, byte[] root, int count, int clientCount)
    {
        public ulong Batch { get; } = batch;
        public byte[] Root { get; } = root;
        public int Count { get; } = count;
        public int ClientCount { get; } = clientCount;
        public HashSet<ulong> Proven { get; } = [];
        public byte[]? Share { get; set; }
        public DateTime SharedAt { get; set; }
        public bool Committed { get; set; }
    }
}
