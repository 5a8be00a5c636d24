using System.Collections.Concurrent;
using Stele.Domain.Batches;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Projections.Fold;
using Stele.Storage;
using Stele.Tlog;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;
using Stele.Tlog.Tiles;

namespace Stele.Projections.Publishing;

/// <summary>
/// Turns the fold's leaves into published files (docs/projections.md): entry bundles, hash tiles,
/// payload files, blobs and batch certificates, all written (in parallel) before the signed
/// checkpoint, which goes last. Keeps the right edge of the log in memory — the incremental tree,
/// the records of the partial bundle, the slots of the partial payload file — and resumes it from
/// the published files. Not thread-safe: one publisher per log, run by the leader.
/// </summary>
public sealed class LogPublisher
{
    private const int ParallelHashRange = 4096;

    private readonly IObjectStore _store;
    private readonly CheckpointSigner _signer;
    private readonly NoteVerifiers _verifiers;
    private readonly int _maxInFlight;
    private readonly IncrementalTree _tree;
    private readonly List<byte[]> _bundleTail;
    private readonly List<PayloadSlot> _payloadTail;
    private readonly IObjectStore? _blobSource;

    private LogPublisher(IObjectStore store, LogKey key, int maxInFlight, IncrementalTree tree, List<byte[]> bundleTail, List<PayloadSlot> payloadTail, IObjectStore? blobSource)
    {
        _store = store;
        _blobSource = blobSource;
        _signer = new CheckpointSigner(key.Signer);
        _verifiers = new NoteVerifiers(key.Verifier);
        _maxInFlight = maxInFlight;
        _tree = tree;
        _bundleTail = bundleTail;
        _payloadTail = payloadTail;
    }

    /// <summary>Size and root of the tree folded so far (published once <see cref="PublishAsync"/> returns).</summary>
    public TreeSize Size => _tree.Size;

    public Hash Root => _tree.Root;

    /// <summary>Size of the checkpoint on storage: it may be ahead of <see cref="Size"/> after a crash, never behind once caught up.</summary>
    public TreeSize PublishedSize { get; private set; }

    private Hash _publishedRoot = Rfc6962.EmptyTreeHash;

    /// <summary>
    /// Resumes the log at <paramref name="size"/> with <paramref name="root"/> (from the read model) by
    /// reading its partial tiles, bundle and payload file; writes an empty checkpoint for a new log.
    /// </summary>
    /// <param name="blobSource">Where the stored blobs named by openings are (a rebuild reads them from the live store); default: <paramref name="store"/>.</param>
    public static async Task<LogPublisher> OpenAsync(
        IObjectStore store, LogKey key, TreeSize size, Hash root, int maxInFlight = 16, CancellationToken ct = default, IObjectStore? blobSource = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        var tree = size.IsEmpty ? new IncrementalTree() : await IncrementalTree.ResumeAsync(new StoreTileReader(store), size, root, ct).ConfigureAwait(false);
        var within = (int)(size.Value % TileId.FullWidth);
        var group = size.Value / TileId.FullWidth;
        var bundleTail = new List<byte[]>();
        var payloadTail = new List<PayloadSlot>();
        if (within > 0)
        {
            var bundle = EntryBundle.Decode(await ReadAsync(store, TileId.Entries(group, within).Path, ct).ConfigureAwait(false));
            if (bundle.Count != within) throw new InvalidDataException($"the partial entry bundle at size {size} holds {bundle.Count} records");
            bundleTail.AddRange(bundle);
            var payload = PayloadFile.Parse(await ReadAsync(store, PayloadFile.KeyFor(group * TileId.FullWidth), ct).ConfigureAwait(false));
            if (payload.Slots.Count < within) throw new InvalidDataException($"payload file {group} holds {payload.Slots.Count} slots, fewer than the {within} leaves published");
            payloadTail.AddRange(payload.Slots.Take(within)); // a crash may have left more: those leaves are folded again
        }
        var publisher = new LogPublisher(store, key, maxInFlight, tree, bundleTail, payloadTail, blobSource);
        await publisher.ReadPublishedCheckpointAsync(ct).ConfigureAwait(false);
        return publisher;
    }

    private async Task ReadPublishedCheckpointAsync(CancellationToken ct)
    {
        var stream = await _store.TryGetAsync(PublishedObjects.CheckpointKey, ct).ConfigureAwait(false);
        if (stream is null)
        {
            if (!_tree.Size.IsEmpty) throw new InvalidDataException($"no checkpoint on {_store.Location}, but the read model is at size {_tree.Size}: the published log is lost (rebuild it)");
            await _store.PutBytesAsync(PublishedObjects.CheckpointKey, _signer.Sign(TreeSize.Empty, _tree.Root), PublishedObjects.Checkpoint, ct).ConfigureAwait(false);
            return;
        }
        byte[] bytes;
        await using (stream)
        {
            bytes = new byte[stream.Properties.Size];
            await stream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
        }
        VerifiedCheckpoint checkpoint;
        try
        {
            checkpoint = UnverifiedCheckpoint.Parse(bytes).Verify(_verifiers);
        }
        catch (Exception ex) when (ex is FormatException or NoteVerificationException)
        {
            throw new PublicationAlarmException(PublishedObjects.CheckpointKey, $"the published checkpoint does not verify with this log's key: {ex.Message}");
        }
        if (checkpoint.Size < _tree.Size)
            throw new InvalidDataException($"the published checkpoint (size {checkpoint.Size}) is behind the read model (size {_tree.Size}): rebuild the published log");
        if (checkpoint.Size == _tree.Size && checkpoint.Root != _tree.Root)
            throw new PublicationAlarmException(PublishedObjects.CheckpointKey, $"the published checkpoint at size {checkpoint.Size} has another root than the log");
        PublishedSize = checkpoint.Size;
        _publishedRoot = checkpoint.Root;
    }

    /// <summary>Writes every file for the folded leaves, then the checkpoint. Returns the number of objects written.</summary>
    public async Task<int> PublishAsync(FoldResult result, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.FirstLeaf != _tree.Size.Value) throw new InvalidOperationException($"the fold starts at leaf {result.FirstLeaf}, the publisher is at {_tree.Size}");
        if (result.Leaves.Count == 0) return 0;

        var writer = new ObjectWriter(_store, _maxInFlight);
        var writes = new List<Func<CancellationToken, Task>>();
        var hashes = LeafHashes(result.Leaves);

        // What storage already shows (another, newer leader may have gone further): never go below it.
        var stored = await StoredCheckpointSizeAsync(ct).ConfigureAwait(false);
        var floor = stored > PublishedSize ? stored : PublishedSize;
        TombstoneEarlierLeaves(result, writer, writes);
        CollectBundlesAndPayloads(result, writer, writes, floor);
        foreach (var tile in _tree.Append(hashes).Tiles)
        {
            var bytes = tile.Data.ToArray();
            writes.Add(t => writer.PutImmutableAsync(tile.Id.Path, bytes, t));
        }
        foreach (var certificate in result.Certificates)
        {
            var bytes = certificate.ToBytes();
            writes.Add(t => writer.PutImmutableAsync(BatchCertificate.KeyFor(certificate.Root), bytes, t));
        }
        foreach (var blob in result.Leaves.Select(l => l.Blob).OfType<BlobSource>().DistinctBy(b => b.Commitment))
            writes.Add(t => PublishBlobAsync(writer, blob, t));
        await writer.WriteAllAsync(writes, ct).ConfigureAwait(false);

        // Erased content goes only once its tombstone is stored; a redone cycle deletes again (idempotent).
        await writer.WriteAllAsync(result.Erasures.SelectMany(e => e.ContentKeys()).Distinct()
            .Select(key => (Func<CancellationToken, Task>)(t => writer.DeleteAsync(key, t))), ct).ConfigureAwait(false);

        // Last: the checkpoint, only once everything it covers is stored (durably), and never backwards.
        await FlushAsync(ct).ConfigureAwait(false);
        if (_tree.Size > floor)
        {
            await writer.PutMutableAsync(PublishedObjects.CheckpointKey, _signer.Sign(_tree.Size, _tree.Root), PublishedObjects.Checkpoint, ct).ConfigureAwait(false);
            await FlushAsync(ct).ConfigureAwait(false);
            PublishedSize = _tree.Size;
            _publishedRoot = _tree.Root;
        }
        else if (_tree.Size == PublishedSize && _tree.Root != _publishedRoot)
        {
            throw new PublicationAlarmException(PublishedObjects.CheckpointKey, $"the refolded tree at size {_tree.Size} has another root than the published checkpoint");
        }
        return writer.Written;
    }

    /// <summary>RFC 6962 leaf hashes, in parallel ranges for a large cycle (a rebuild's): they depend on nothing else.</summary>
    private static Hash[] LeafHashes(IReadOnlyList<NewLeaf> leaves)
    {
        var hashes = new Hash[leaves.Count];
        if (hashes.Length < ParallelHashRange)
        {
            for (var i = 0; i < hashes.Length; i++) hashes[i] = Rfc6962.HashLeaf(leaves[i].RecordBytes);
            return hashes;
        }
        Parallel.ForEach(Partitioner.Create(0, hashes.Length, ParallelHashRange), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++) hashes[i] = Rfc6962.HashLeaf(leaves[i].RecordBytes);
        });
        return hashes;
    }

    /// <summary>A store that groups its flushes (a rebuild's directory) makes the cycle's files durable here.</summary>
    private Task FlushAsync(CancellationToken ct) => _store is IDeferredDurability deferred ? deferred.FlushAsync(ct) : Task.CompletedTask;

    /// <summary>The size of the checkpoint on storage now (it verifies under this log's key, or it is an alarm).</summary>
    private async Task<TreeSize> StoredCheckpointSizeAsync(CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await _store.GetBytesAsync(PublishedObjects.CheckpointKey, ct).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            return TreeSize.Empty;
        }
        try
        {
            return UnverifiedCheckpoint.Parse(bytes).Verify(_verifiers).Size;
        }
        catch (Exception ex) when (ex is FormatException or NoteVerificationException)
        {
            throw new PublicationAlarmException(PublishedObjects.CheckpointKey, $"the published checkpoint does not verify with this log's key: {ex.Message}");
        }
    }

    /// <summary>
    /// Tombstones for erased leaves folded in earlier cycles: in the partial payload file held in memory
    /// (written with this cycle's leaves), or by rewriting the full payload file that holds them.
    /// </summary>
    private void TombstoneEarlierLeaves(FoldResult result, ObjectWriter writer, List<Func<CancellationToken, Task>> writes)
    {
        var tailStart = result.FirstLeaf - (ulong)_payloadTail.Count;
        var fullGroups = new SortedDictionary<ulong, List<Erasure>>();
        foreach (var erasure in result.Erasures)
        {
            if (erasure.Target >= result.FirstLeaf) continue; // the fold tombstoned it among the new leaves
            if (erasure.Target >= tailStart)
            {
                _payloadTail[(int)(erasure.Target - tailStart)] = erasure.Tombstone;
                continue;
            }
            var group = erasure.Target / TileId.FullWidth;
            if (!fullGroups.TryGetValue(group, out var list)) fullGroups[group] = list = [];
            list.Add(erasure);
        }
        foreach (var (group, erasures) in fullGroups)
            writes.Add(t => RewritePayloadAsync(writer, group, erasures, t));
    }

    private async Task RewritePayloadAsync(ObjectWriter writer, ulong group, List<Erasure> erasures, CancellationToken ct)
    {
        var key = PayloadFile.KeyFor(group * TileId.FullWidth);
        var file = PayloadFile.Parse(await ReadAsync(_store, key, ct).ConfigureAwait(false));
        var slots = file.Slots.ToArray();
        foreach (var erasure in erasures)
        {
            var i = (int)(erasure.Target - file.FirstLeaf);
            if (i >= slots.Length) throw new InvalidDataException($"{key} holds {slots.Length} slots; leaf {erasure.Target} to erase is not among them");
            slots[i] = erasure.Tombstone;
        }
        await writer.PutMutableAsync(key, new PayloadFile(file.FirstLeaf, slots).ToBytes(), PublishedObjects.Payload, ct).ConfigureAwait(false);
    }

    /// <summary>The published records of <paramref name="leaves"/> (all below <see cref="Size"/>): from the partial bundle in memory, or the full bundles.</summary>
    public async Task<LeafRecordTable> ReadRecordsAsync(IEnumerable<ulong> leaves, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var table = new LeafRecordTable();
        var tailStart = _tree.Size.Value - (ulong)_bundleTail.Count;
        foreach (var group in leaves.Where(l => l < _tree.Size.Value).GroupBy(l => l / TileId.FullWidth))
        {
            IReadOnlyList<byte[]> bundle = group.Key * TileId.FullWidth >= tailStart
                ? _bundleTail
                : EntryBundle.Decode(await ReadAsync(_store, TileId.Entries(group.Key, TileId.FullWidth).Path, ct).ConfigureAwait(false));
            foreach (var leaf in group)
                table.Add(leaf, LeafRecord.Parse(bundle[(int)(leaf - group.Key * TileId.FullWidth)]));
        }
        return table;
    }

    private void CollectBundlesAndPayloads(FoldResult result, ObjectWriter writer, List<Func<CancellationToken, Task>> writes, TreeSize floor)
    {
        var index = result.FirstLeaf;
        foreach (var leaf in result.Leaves)
        {
            _bundleTail.Add(leaf.RecordBytes);
            _payloadTail.Add(leaf.Payload);
            index++;
            if (_bundleTail.Count == TileId.FullWidth) Flush(index);
        }
        if (_bundleTail.Count > 0) Flush(index);

        void Flush(ulong end)
        {
            var group = (end - 1) / TileId.FullWidth;
            var bundlePath = TileId.Entries(group, _bundleTail.Count).Path;
            var bundle = EntryBundle.Encode(_bundleTail);
            var payload = new PayloadFile(group * TileId.FullWidth, [.. _payloadTail]).ToBytes();
            writes.Add(t => writer.PutImmutableAsync(bundlePath, bundle, t));
            // After a crash the stored payload file may already cover more leaves (same slots, since the
            // fold is deterministic) than this refold has reached: never shrink it below the checkpoint.
            if (group * TileId.FullWidth + (ulong)_payloadTail.Count > floor.Value)
                writes.Add(t => writer.PutMutableAsync(PayloadFile.KeyFor(group * TileId.FullWidth), payload, PublishedObjects.Payload, t));
            if (_bundleTail.Count == TileId.FullWidth)
            {
                _bundleTail.Clear();
                _payloadTail.Clear();
            }
        }
    }

    private Task PublishBlobAsync(ObjectWriter writer, BlobSource blob, CancellationToken ct)
    {
        var opening = blob.Opening;
        if (opening.Content is { } content) return writer.PutImmutableAsync(blob.PublishedKey, content.ToArray(), ct);
        if (opening.BlobKey is null) throw new InvalidDataException($"the opening of {blob.Commitment} has neither content nor a blob key");
        if (_blobSource is not null) return CopyFromBlobSourceAsync(writer, _blobSource, blob, opening.BlobKey, ct);
        return opening.BlobKey == blob.PublishedKey
            ? writer.RequireAsync(blob.PublishedKey, opening.Size, ct)
            : writer.CopyImmutableAsync(_store, opening.BlobKey, blob.PublishedKey, opening.Size, ct);
    }

    // A rebuild copies from the live store: the stored key if it is still there, else the published copy.
    private static async Task CopyFromBlobSourceAsync(ObjectWriter writer, IObjectStore source, BlobSource blob, string storedKey, CancellationToken ct)
    {
        var key = await source.HeadAsync(storedKey, ct).ConfigureAwait(false) is not null ? storedKey : blob.PublishedKey;
        await writer.CopyImmutableAsync(source, key, blob.PublishedKey, blob.Opening.Size, ct).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadAsync(IObjectStore store, string key, CancellationToken ct)
    {
        try
        {
            return await store.GetBytesAsync(key, ct).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            throw new InvalidDataException($"{key} is missing from {store.Location}: the published log is incomplete (rebuild it)");
        }
    }
}
