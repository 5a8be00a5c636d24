using Stele.Broker.Clients;
using Stele.Broker.Counters;
using Stele.Broker.Protocol;
using Stele.Crypto.Blake3;

namespace Stele.Broker.Batching;

/// <summary>
/// The broker's batch state machine (docs/broker.md): pure, single-threaded, driven by decoded
/// datagrams, a clock (ticks) and the outcomes of distillation and writing, which run elsewhere.
/// collecting → proposed (tree built, proofs out) → distilling → writing, or back to proposed with
/// the uncovered entries dropped. Every refusal is counted; nothing on this path allocates per datagram.
/// </summary>
internal sealed class BatchMachine
{
    private readonly BrokerOptions _options;
    private readonly BrokerCounters _counters;
    private readonly IBrokerOutbox _outbox;
    private readonly BatchPool _pool;
    private readonly List<Batch> _inFlight = []; // in close (id) order
    private readonly Queue<Batch> _retained = new(); // released, oldest first (BrokerOptions.RetainedBatches)
    private readonly Dictionary<Batch, DistilOutcome> _outcomes = [];
    private readonly Dictionary<ulong, ulong> _watermarks = [];
    private readonly long _batchTimeout, _shareTimeout;
    private readonly bool _proposeInline;
    private readonly long _ticksPerSecond;
    private readonly byte[] _scratch = new byte[WireFormat.MaxDatagram];
    private ulong _nextId = 1;
    private Batch? _collecting;

    /// <param name="proposeInline">
    /// True: <see cref="Close"/> builds the proposal and sends its proofs at once. False: it only seals the
    /// batch into <see cref="ReadyToPropose"/>, and another thread calls <see cref="ProposeSealed"/>, so the
    /// worker keeps receiving while the batch is sorted, hashed and its proofs encoded.
    /// </param>
    public BatchMachine(BrokerOptions options, BrokerCounters counters, IBrokerOutbox outbox, long ticksPerSecond, bool proposeInline = true)
    {
        _proposeInline = proposeInline;
        _ticksPerSecond = ticksPerSecond;
        options.Validate();
        _options = options;
        _counters = counters;
        _outbox = outbox;
        _pool = new BatchPool(options.MaxBatchesInFlight + 1 + options.RetainedBatches, options.BatchSize, options.BatchArenaBytes);
        _batchTimeout = (long)(options.BatchTimeout.TotalSeconds * ticksPerSecond);
        _shareTimeout = (long)(options.ShareTimeout.TotalSeconds * ticksPerSecond);
    }

    public ClientDirectory Directory { get; set; } = ClientDirectory.Empty;

    /// <summary>Sealed batches (when not proposing inline): hand each to <see cref="ProposeSealed"/> on the proposer thread.</summary>
    public Queue<Batch> ReadyToPropose { get; } = new();

    /// <summary>Proposals whose shares are all in or timed out: hand each to <see cref="Distiller"/>, then call <see cref="OnDistilled"/>.</summary>
    public Queue<Batch> ReadyToDistil { get; } = new();

    /// <summary>Distilled batches: write each (event + openings), then call <see cref="OnWritten"/> or <see cref="OnWriteFailed"/>.</summary>
    public Queue<(Batch Batch, DistilOutcome Outcome)> ReadyToWrite { get; } = new();

    public int InFlight => _inFlight.Count;

    public int Collecting => _collecting?.Count ?? 0;

    // ---- submissions ---------------------------------------------------------------------------

    public void OnSubmit(in SubmitMessage m, ulong source, long now)
    {
        if (!Directory.TryGet(m.Client, out var client))
        {
            _counters.Add(BrokerCounter.DroppedUnknownClient); // no reply: an unknown sender gets nothing to amplify
            return;
        }
        var last = _watermarks.TryGetValue(m.Client, out var mark) ? mark : client.LastSequence;
        if (last is { } l && m.Sequence <= l)
        {
            if (!AnswerRetransmission(m.Client, m.Sequence, m.Commitment))
                Refuse(BrokerCounter.DroppedReplayedSequence, RejectReason.ReplayedSequence, m.Client, m.Sequence, source);
            return;
        }
        Span<byte> commitment = stackalloc byte[WireFormat.HashLength];
        Blake3.KeyedHash(m.Salt, m.Content, commitment);
        if (!commitment.SequenceEqual(m.Commitment))
        {
            Refuse(BrokerCounter.DroppedCommitmentMismatch, RejectReason.CommitmentMismatch, m.Client, m.Sequence, source);
            return;
        }
        var batch = CollectingBatch(now);
        if (batch is not null && !batch.HasRoomFor(m))
        {
            Close(now);
            batch = CollectingBatch(now);
        }
        if (batch is null || !batch.HasRoomFor(m))
        {
            Refuse(BrokerCounter.DroppedOverloaded, RejectReason.Overloaded, m.Client, m.Sequence, source);
            return;
        }
        if (batch.Keys.Contains(Batch.Key(m.Client, m.Sequence)))
        {
            _counters.Add(BrokerCounter.DroppedDuplicate); // a retransmission; its proof comes when the batch closes
            return;
        }
        if (batch.Commitments.Contains(Batch.CommitmentKey(m.Commitment)))
        {
            Refuse(BrokerCounter.DroppedDuplicate, RejectReason.DuplicateInBatch, m.Client, m.Sequence, source);
            return;
        }
        batch.Add(m, source);
        _counters.Add(BrokerCounter.SubmitsAccepted);
        if (batch.IsFull) Close(now);
    }

    private Batch? CollectingBatch(long now)
    {
        if (_collecting is null && _pool.TryRent(out var batch))
        {
            batch.Reset(_nextId++, now);
            _collecting = batch;
        }
        return _collecting;
    }

    // ---- shares --------------------------------------------------------------------------------

    public void OnShare(in ShareMessage m, ulong source)
    {
        var batch = FindInFlight(m.Batch);
        if (batch is null || batch.State != BatchState.Proposed || !m.Root.SequenceEqual(batch.Root))
        {
            _counters.Add(BrokerCounter.DroppedLateShare);
            return;
        }
        var range = batch.FindRange(m.Client);
        if (range < 0)
        {
            _counters.Add(BrokerCounter.DroppedBadShare);
            return;
        }
        if (batch.ShareLength[range] != 0)
        {
            _counters.Add(BrokerCounter.DroppedDuplicate);
            return;
        }
        m.Signature.CopyTo(batch.Shares.AsSpan(range * WireFormat.UncompressedShareLength));
        batch.ShareLength[range] = (byte)m.Signature.Length;
        batch.ShareSource[range] = source;
        batch.SharesReceived++;
        _counters.Add(BrokerCounter.SharesAccepted);
        if (batch.SharesReceived == batch.Ranges) StartDistilling(batch);
    }

    // ---- time ----------------------------------------------------------------------------------

    public void Tick(long now)
    {
        if (_collecting is { Count: > 0 } c && now - c.OpenedAt >= _batchTimeout) Close(now);
        foreach (var batch in _inFlight)
            if (batch.State == BatchState.Proposed && now - batch.ProposedAt >= _shareTimeout) StartDistilling(batch);
    }

    /// <summary>Closes the collecting batch if the in-flight limit allows: canonical order, tree, proofs out (here or on the proposer thread).</summary>
    public void Close(long now)
    {
        if (_collecting is not { Count: > 0 } batch || _inFlight.Count >= _options.MaxBatchesInFlight) return;
        _collecting = null;
        _inFlight.Add(batch);
        for (var e = 0; e < batch.Count; e++)
            if (!_watermarks.TryGetValue(batch.Client[e], out var mark) || batch.Sequence[e] > mark) _watermarks[batch.Client[e]] = batch.Sequence[e];
        batch.State = BatchState.Sealed;
        if (_proposeInline) ProposeSealed(batch, _outbox, _scratch, now);
        else ReadyToPropose.Enqueue(batch);
    }

    /// <summary>
    /// Sorts a sealed batch into canonical order, builds its tree and sends one PROOF per entry through
    /// <paramref name="outbox"/>. Safe on another thread than the worker's: the worker does not touch a
    /// sealed batch, and the proposal becomes visible to it only when its state turns to proposed.
    /// </summary>
    public void ProposeSealed(Batch batch, IBrokerOutbox outbox, byte[] scratch, long now)
    {
        for (var i = 0; i < batch.Count; i++) batch.Order[i] = i;
        Array.Sort(batch.Order, 0, batch.Count, new CanonicalOrder(batch));
        batch.Size = batch.Count;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Propose(batch, outbox, scratch, now);
        // Off the worker, the share timeout runs from the last proof queued, not the first: a proof burst
        // paced by a busy sender must not eat the clients' time to answer. (The worker may read either value.)
        if (!_proposeInline) batch.ProposedAt = now + (long)(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds * _ticksPerSecond);
    }

    private void Propose(Batch batch, IBrokerOutbox outbox, byte[] scratch, long now)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Span<byte> descriptor = stackalloc byte[Batch.DescriptorMaxLength];
        batch.Ranges = 0;
        for (var leaf = 0; leaf < batch.Size; leaf++)
        {
            var e = batch.Order[leaf];
            batch.Tree.SetLeaf(leaf, descriptor[..batch.WriteDescriptor(e, descriptor)]);
            if (batch.Ranges == 0 || batch.RangeClient[batch.Ranges - 1] != batch.Client[e])
            {
                batch.RangeClient[batch.Ranges] = batch.Client[e];
                batch.RangeFirst[batch.Ranges] = leaf;
                batch.RangeCount[batch.Ranges] = 0;
                batch.ShareLength[batch.Ranges] = 0;
                batch.Ranges++;
            }
            batch.RangeCount[batch.Ranges - 1]++;
        }
        batch.Tree.Complete(batch.Size, batch.Root);
        batch.SharesReceived = 0;
        batch.ProposedAt = now;
        batch.Round++;
        batch.State = BatchState.Proposed; // last: publishes the proposal to the worker before any proof can draw a share
        _counters.Add(BrokerCounter.BatchesProposed);
        for (var r = 0; r < batch.Ranges; r++)
            for (var leaf = batch.RangeFirst[r]; leaf < batch.RangeFirst[r] + batch.RangeCount[r]; leaf++) SendProof(batch, r, leaf, outbox, scratch);
        _counters.Add(BrokerCounter.ProposeMilliseconds, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The PROOF of one leaf, to the address its submission came from.</summary>
    private void SendProof(Batch batch, int range, int leaf, IBrokerOutbox outbox, byte[] scratch)
    {
        Span<byte> path = stackalloc byte[WireFormat.MaxProofHashes * WireFormat.HashLength];
        var e = batch.Order[leaf];
        var hashes = batch.Tree.WriteProof(leaf, path);
        var proof = new ProofMessage
        {
            Batch = batch.Id,
            Root = batch.Root,
            Count = (uint)batch.Size,
            Index = (uint)leaf,
            Client = batch.Client[e],
            Sequence = batch.Sequence[e],
            ClientFirst = (uint)batch.RangeFirst[range],
            ClientCount = (uint)batch.RangeCount[range],
            Path = path[..(hashes * WireFormat.HashLength)],
        };
        Send(outbox, batch.Source[e], scratch.AsSpan(0, proof.EncodeTo(scratch)));
    }

    /// <summary>
    /// A submission at or below the client's watermark that some in-flight or retained batch holds with
    /// the same commitment: a retransmission whose PROOF (or RESULT) was lost. It hears them again — always at the
    /// address the entry first came from, so a spoofed copy cannot aim replies at a third party.
    /// </summary>
    private bool AnswerRetransmission(ulong client, ulong sequence, ReadOnlySpan<byte> commitment)
    {
        var key = Batch.Key(client, sequence);
        Batch? holder = null;
        foreach (var b in _inFlight)
            if (b.Keys.Contains(key)) holder = b;
        foreach (var b in _retained)
            if (b.Keys.Contains(key)) holder = b;
        if (holder is null) return false;
        if (holder.State == BatchState.Sealed)
        {
            _counters.Add(BrokerCounter.DroppedDuplicate); // its proof is being sent right now
            return true;
        }
        var entry = FindEntry(holder, key);
        if (!holder.Commitment(entry).SequenceEqual(commitment)) return false; // same sequence, other content: a replay
        _counters.Add(BrokerCounter.RetransmissionsAnswered);
        var leaf = holder.State == BatchState.Failed ? -1 : holder.FindLeaf(client, sequence);
        if (leaf < 0)
        {
            Refuse(null, holder.State == BatchState.Failed ? RejectReason.BatchFailed : RejectReason.NotCovered, client, sequence, holder.Source[entry]);
            return true;
        }
        SendProof(holder, holder.FindRange(client), leaf, _outbox, _scratch);
        if (holder.State == BatchState.Committed)
        {
            var (status, value) = holder.FirstLeaf is { } first ? (ResultStatus.InLog, first) : (ResultStatus.Committed, (ulong)holder.Position);
            var result = new ResultMessage { Client = client, Batch = holder.Id, Root = holder.Root, Status = status, Value = value };
            Send(holder.Source[holder.Order[leaf]], _scratch.AsSpan(0, result.EncodeTo(_scratch)));
        }
        return true;
    }

    private static int FindEntry(Batch batch, UInt128 key)
    {
        for (var e = 0; e < batch.Count; e++)
            if (Batch.Key(batch.Client[e], batch.Sequence[e]) == key) return e;
        throw new InvalidOperationException("the batch lists a key it does not hold");
    }

    /// <summary>The fold placed a committed batch: remember its first leaf for late retransmissions.</summary>
    public void OnPlaced(ulong batchId, ulong firstLeaf)
    {
        foreach (var b in _retained)
            if (b.Id == batchId && b.State == BatchState.Committed) b.FirstLeaf = firstLeaf;
    }

    private void StartDistilling(Batch batch)
    {
        batch.State = BatchState.Distilling;
        ReadyToDistil.Enqueue(batch);
    }

    // ---- outcomes of distillation and writing ----------------------------------------------------

    public void OnDistilled(Batch batch, DistilOutcome outcome, long now)
    {
        _counters.Add(BrokerCounter.DroppedBadShare, outcome.BadShares);
        _counters.Add(BrokerCounter.DroppedBadStragglerSignature, outcome.BadStragglerSignatures);
        if (outcome.IsComplete)
        {
            batch.State = BatchState.Distilled;
            _outcomes[batch] = outcome;
            PromoteWrites();
            return;
        }
        // Entries nobody vouches for leave the batch; the rest need a new root, so a new round of shares.
        var dropped = outcome.UncoveredEntries.Length == 0 ? batch.Size : outcome.UncoveredEntries.Length;
        foreach (var e in outcome.UncoveredEntries) batch.Excluded[e] = true;
        if (outcome.UncoveredEntries.Length == 0) for (var leaf = 0; leaf < batch.Size; leaf++) batch.Excluded[batch.Order[leaf]] = true;
        foreach (var e in outcome.UncoveredEntries) Refuse(BrokerCounter.DroppedNotCovered, RejectReason.NotCovered, batch.Client[e], batch.Sequence[e], batch.Source[e]);
        var kept = 0;
        for (var leaf = 0; leaf < batch.Size; leaf++)
            if (!batch.Excluded[batch.Order[leaf]]) batch.Order[kept++] = batch.Order[leaf];
        if (kept == 0 || batch.Round >= _options.MaxRounds)
        {
            if (outcome.UncoveredEntries.Length == 0) _counters.Add(BrokerCounter.DroppedNotCovered, dropped);
            Fail(batch, kept);
            return;
        }
        batch.Size = kept;
        _counters.Add(BrokerCounter.BatchesRetried);
        Propose(batch, _outbox, _scratch, now);
    }

    /// <summary>The batch is in the event stream at <paramref name="position"/>; participants and stragglers hear it.</summary>
    public void OnWritten(Batch batch, DistilOutcome outcome, long position)
    {
        _counters.Add(BrokerCounter.BatchesDistilled);
        _counters.Add(BrokerCounter.EntriesDistilled, batch.Size);
        _counters.Add(BrokerCounter.StragglersKept, outcome.StragglerEntries.Length);
        Announce(batch, ResultStatus.Committed, (ulong)position);
        batch.State = BatchState.Committed;
        batch.Position = position;
        Release(batch);
    }

    public void OnWriteFailed(Batch batch)
    {
        _counters.Add(BrokerCounter.BatchesFailed);
        _counters.Add(BrokerCounter.EntriesFailed, batch.Size);
        Announce(batch, ResultStatus.Failed, (ulong)RejectReason.BatchFailed);
        batch.State = BatchState.Failed;
        Release(batch);
    }

    private void Fail(Batch batch, int remaining)
    {
        _counters.Add(BrokerCounter.BatchesFailed);
        _counters.Add(BrokerCounter.EntriesFailed, remaining);
        for (var leaf = 0; leaf < remaining; leaf++)
        {
            var e = batch.Order[leaf];
            Refuse(null, RejectReason.BatchFailed, batch.Client[e], batch.Sequence[e], batch.Source[e]);
        }
        batch.State = BatchState.Failed;
        Release(batch);
    }

    /// <summary>One RESULT per client of the batch, to where its share came from (or its first entry, for stragglers).</summary>
    public void Announce(Batch batch, ResultStatus status, ulong value)
    {
        for (var r = 0; r < batch.Ranges; r++)
        {
            var destination = batch.ShareLength[r] != 0 ? batch.ShareSource[r] : batch.Source[batch.Order[batch.RangeFirst[r]]];
            var result = new ResultMessage { Client = batch.RangeClient[r], Batch = batch.Id, Root = batch.Root, Status = status, Value = value };
            Send(destination, _scratch.AsSpan(0, result.EncodeTo(_scratch)));
        }
    }

    private void Release(Batch batch)
    {
        _inFlight.Remove(batch);
        _outcomes.Remove(batch);
        _retained.Enqueue(batch);
        while (_retained.Count > _options.RetainedBatches) _pool.Return(_retained.Dequeue());
        PromoteWrites();
    }

    /// <summary>
    /// Hands distilled batches to the writer in close order: a client's sequences must reach the stream
    /// in ascending order (the fold refuses a batch whose first sequence is not fresh), so batch k+1 waits
    /// until batch k is written or given up.
    /// </summary>
    private void PromoteWrites()
    {
        foreach (var batch in _inFlight)
        {
            if (batch.State == BatchState.Writing) continue;
            if (batch.State != BatchState.Distilled) return;
            batch.State = BatchState.Writing;
            ReadyToWrite.Enqueue((batch, _outcomes[batch]));
        }
    }

    private Batch? FindInFlight(ulong id)
    {
        foreach (var b in _inFlight)
            if (b.Id == id) return b;
        return null;
    }

    private void Refuse(BrokerCounter? counter, RejectReason reason, ulong client, ulong sequence, ulong source)
    {
        if (counter is { } c) _counters.Add(c);
        var reject = new RejectMessage { Client = client, Sequence = sequence, Reason = reason };
        Send(source, _scratch.AsSpan(0, reject.EncodeTo(_scratch)));
    }

    /// <summary>A RESULT for a batch already released (the leaf tracker learns leaf indices later).</summary>
    public void AnnounceTo(ulong destination, ulong client, ulong batchId, ReadOnlySpan<byte> root, ResultStatus status, ulong value)
    {
        var result = new ResultMessage { Client = client, Batch = batchId, Root = root, Status = status, Value = value };
        Send(destination, _scratch.AsSpan(0, result.EncodeTo(_scratch)));
    }

    /// <summary>Answers a STATS_REQUEST (loopback only: counters are for operators, and a reply must not amplify).</summary>
    public void OnStatsRequest(ulong source)
    {
        if (!Io.SourceAddress.IsLoopback(source))
        {
            _counters.Add(BrokerCounter.DroppedStatsNotLoopback);
            return;
        }
        Send(source, _scratch.AsSpan(0, StatsMessage.Encode(_counters.Snapshot(), _scratch)));
    }

    private void Send(ulong destination, ReadOnlySpan<byte> datagram) => Send(_outbox, destination, datagram);

    private void Send(IBrokerOutbox outbox, ulong destination, ReadOnlySpan<byte> datagram)
    {
        if (outbox.TrySend(destination, datagram)) _counters.Add(BrokerCounter.DatagramsSent);
        else _counters.Add(BrokerCounter.DroppedSendQueueFull);
    }

    private sealed class CanonicalOrder(Batch batch) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var byClient = batch.Client[x].CompareTo(batch.Client[y]);
            return byClient != 0 ? byClient : batch.Sequence[x].CompareTo(batch.Sequence[y]);
        }
    }
}
