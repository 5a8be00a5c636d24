using System.Diagnostics;
using Stele.Domain;
using Stele.Domain.Batches;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Reader.Sources;
using Stele.Tlog;
using Stele.Tlog.Notes;
using Stele.Tlog.Tiles;

namespace Stele.Reader.Verification;

/// <summary>
/// Verifies a whole published log from its files alone (docs/reading.md): the checkpoint against the
/// trusted key, every tile and bundle against the root, every record, signature and opening.
/// </summary>
public static class LogVerifier
{
    /// <summary>Verifies everything; throws <see cref="LogVerificationException"/> at the first problem.</summary>
    public static async Task<VerifiedLog> VerifyAsync(
        ILogSource source, NoteVerifierKey trusted, VerifyOptions? options = null, IProgress<VerifyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(trusted);
        var run = new VerificationRun(source, trusted, options ?? VerifyOptions.Default, progress);
        return await run.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The state of one verification, walked tile by tile in leaf order.</summary>
internal sealed class VerificationRun(ILogSource source, NoteVerifierKey trusted, VerifyOptions options, IProgress<VerifyProgress>? progress)
{
    private const int Width = TileId.FullWidth;

    /// <summary>Signature checks are gathered across tiles and run in parallel in chunks this large.</summary>
    private const int PendingChecksLimit = 4096;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ClientRegistry _clients = new();
    private readonly HashSet<UInt128> _sequences = [];
    private readonly Dictionary<string, byte[]> _digests = [];
    private readonly List<byte> _kinds = [];
    private readonly Dictionary<ulong, RedactionRecord> _notices = [];
    private readonly List<(ulong Leaf, ulong Notice)> _tombstones = [];
    private readonly List<BlobReference> _blobs = [];
    private readonly List<string> _erasedBlobs = [];
    private readonly Dictionary<int, Tile> _lastPartial = [];
    private List<Check> _pending = new(PendingChecksLimit);
    private List<Check> _pendingBatches = [];
    private readonly IncrementalTree _tree = new();
    private LogOrigin _origin = null!;
    private OpenBatch? _openBatch;
    private (string Key, byte[] Bytes)? _lastPayload;
    private TreeSize _size;
    private TreeSize? _sinceSize;
    private Hash _sinceRoot;
    private long _registrations, _entries, _batched, _batches, _distilled, _redactions, _blobBytes;

    public async Task<VerifiedLog> RunAsync(CancellationToken cancellationToken)
    {
        var (checkpoint, checkpointBytes) = await CheckpointReader.ReadVerifiedAsync(source, trusted, cancellationToken).ConfigureAwait(false);
        _size = checkpoint.Size;
        try
        {
            _origin = new LogOrigin(checkpoint.Origin);
        }
        catch (ArgumentException e)
        {
            throw new LogVerificationException(CheckpointReader.Key, null, e.Message);
        }
        if (options.SinceCheckpoint is { } since)
        {
            var old = CheckpointReader.Verify(since.Span, trusted, "the old checkpoint");
            if (old.Size > _size)
                throw new SplitViewException(CheckpointReader.Key, null,
                    $"tree size {_size} is smaller than the old checkpoint's {old.Size}: the log was rolled back");
            _sinceSize = old.Size;
            _sinceRoot = old.Root;
        }

        var tileCount = (_size.Value + Width - 1) / Width;
        var window = new Queue<Task<PreparedTile>>();
        ulong next = 0;
        try
        {
            for (ulong t = 0; t < tileCount; t++)
            {
                while (next < tileCount && window.Count < Math.Max(1, options.Prefetch))
                    window.Enqueue(FetchAndPrepareAsync(next++, cancellationToken));
                var tile = await window.Dequeue().ConfigureAwait(false);
                await VerifyTileAsync(tile, cancellationToken).ConfigureAwait(false);
                if (_pending.Count >= PendingChecksLimit) RunPendingChecks();
                progress?.Report(new VerifyProgress(_tree.Size.Value, _size.Value, _blobBytes));
            }
            await CloseBatchAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LogVerificationException)
        {
            // A signature still waiting to be checked may belong to an earlier leaf: report that one first.
            RunPendingChecks();
            throw;
        }
        finally
        {
            await DrainAsync(window).ConfigureAwait(false);
        }
        RunPendingChecks();
        if (_sinceSize is { IsEmpty: true }) CheckSinceRoot(Rfc6962.EmptyTreeHash);
        await CheckFinalTreeAsync(checkpoint.Root, cancellationToken).ConfigureAwait(false);
        var erased = CheckTombstones();
        RecordDigest(CheckpointReader.Key, checkpointBytes);

        return new VerifiedLog
        {
            Origin = checkpoint.Origin,
            Size = _size,
            Root = checkpoint.Root,
            Checkpoint = checkpointBytes,
            Registrations = _registrations,
            Entries = _entries,
            BatchedEntries = _batched,
            Batches = _batches,
            DistilledBatches = _distilled,
            Redactions = _redactions,
            Blobs = _blobs.Count,
            BlobBytes = _blobBytes,
            Erased = erased,
            ConsistentSince = _sinceSize,
            Elapsed = _clock.Elapsed,
            FileDigests = _digests,
            BlobReferences = _blobs,
            ErasedBlobKeys = _erasedBlobs,
            LastPayloadFile = _lastPayload,
        };
    }

    /// <summary>Reads one tile's three files, then does its independent checks on the thread pool.</summary>
    private async Task<PreparedTile> FetchAndPrepareAsync(ulong index, CancellationToken cancellationToken)
    {
        var remaining = _size.Value - index * Width;
        var width = remaining >= Width ? Width : (int)remaining;
        var bundleKey = TileId.Entries(index, width).Path;
        var hashKey = TileId.Hashes(0, index, width).Path;
        var payloadKey = PayloadFile.KeyFor(index * Width);
        var bundle = ReadRequiredAsync(bundleKey, LogLimits.MaxBundleBytes, cancellationToken);
        var hashes = ReadRequiredAsync(hashKey, LogLimits.MaxTileBytes, cancellationToken);
        var payload = ReadRequiredAsync(payloadKey, LogLimits.MaxPayloadFileBytes, cancellationToken);
        var (b, h, p) = (await bundle.ConfigureAwait(false), await hashes.ConfigureAwait(false), await payload.ConfigureAwait(false));
        return await Task.Run(() => PreparedTile.Prepare(index, width, bundleKey, b, hashKey, h, payloadKey, p, options.RecordFileDigests), cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadRequiredAsync(string key, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            return await source.TryReadAllAsync(key, maxBytes, cancellationToken).ConfigureAwait(false)
                ?? throw new LogVerificationException(key, null, "missing (the checkpoint covers it)");
        }
        catch (InvalidDataException e)
        {
            throw new LogVerificationException(key, null, e.Message, e);
        }
    }

    private async Task VerifyTileAsync(PreparedTile tile, CancellationToken cancellationToken)
    {
        if (tile.TreeProblem is { } treeProblem) throw treeProblem;
        if (options.RecordFileDigests) (_digests[tile.BundleKey], _digests[tile.HashTileKey]) = (tile.BundleDigest, tile.HashTileDigest);
        await AppendToTreeAsync(tile.LeafHashes, cancellationToken).ConfigureAwait(false);
        if (tile.PayloadProblem is { } payloadProblem) throw payloadProblem;
        if (options.RecordFileDigests) _digests[tile.PayloadKey] = tile.PayloadDigest;
        _lastPayload = (tile.PayloadKey, tile.PayloadBytes);

        var blobChecks = new List<(ulong Leaf, BlobReference Blob)>();
        var (bundleKey, payloadKey) = (tile.BundleKey, tile.PayloadKey);
        for (var i = 0; i < tile.TileWidth; i++)
        {
            var leaf = tile.FirstLeaf + (ulong)i;
            var record = tile.Records[i];
            _kinds.Add((byte)record.Kind);
            if (record is not BatchedEntryRecord) await CloseBatchAsync(cancellationToken).ConfigureAwait(false);
            switch (record)
            {
                case RegistrationRecord registration:
                    _registrations++;
                    var client = Guard(bundleKey, () => _clients.Add(registration, leaf));
                    _pending.Add(new Check(bundleKey, leaf, () => SignatureChecks.Registration(_origin, client)));
                    break;
                case EntryRecord entry:
                    _entries++;
                    var signer = RequireClient(bundleKey, leaf, entry.Descriptor.Client);
                    RequireFreshSequence(bundleKey, leaf, entry.Descriptor);
                    _pending.Add(new Check(bundleKey, leaf, () => SignatureChecks.Entry(_origin, entry, signer)));
                    break;
                case BatchedEntryRecord batched:
                    _batched++;
                    RequireClient(bundleKey, leaf, batched.Descriptor.Client);
                    RequireFreshSequence(bundleKey, leaf, batched.Descriptor);
                    await AddToBatchAsync(bundleKey, leaf, batched, cancellationToken).ConfigureAwait(false);
                    break;
                case RedactionRecord redaction:
                    _redactions++;
                    if (redaction.TargetLeaf >= leaf)
                        throw new LogVerificationException(bundleKey, leaf, $"redaction notice targets leaf {redaction.TargetLeaf}, which is not an earlier leaf");
                    if ((LeafKind)_kinds[(int)redaction.TargetLeaf] is not (LeafKind.Entry or LeafKind.BatchedEntry))
                        throw new LogVerificationException(bundleKey, leaf, $"redaction notice targets leaf {redaction.TargetLeaf}, which is not an entry");
                    _notices[leaf] = redaction;
                    break;
            }
            if (tile.SlotProblems[i] is { } slotProblem) throw new LogVerificationException(payloadKey, leaf, slotProblem);
            FollowSlot(leaf, record, tile.Slots[i], blobChecks);
        }
        if (blobChecks.Count > 0)
        {
            // Blobs are checked in leaf order after the signatures before them.
            RunPendingChecks();
            foreach (var (leaf, blob) in blobChecks) await CheckBlobAsync(leaf, blob, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for prefetches still running so none outlives the verification (their faults are moot by now).</summary>
    private static async Task DrainAsync(Queue<Task<PreparedTile>> window)
    {
        foreach (var task in window)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is LogVerificationException or OperationCanceledException or IOException or HttpRequestException or ArgumentException)
            {
            }
        }
    }

    private async Task AppendToTreeAsync(Hash[] leafHashes, CancellationToken cancellationToken)
    {
        var span = leafHashes.AsMemory();
        if (_sinceSize is { } since && since > _tree.Size && since.Value <= _tree.Size.Value + (ulong)span.Length)
        {
            var before = (int)(since.Value - _tree.Size.Value);
            await AbsorbAsync(_tree.Append(span.Span[..before]), cancellationToken).ConfigureAwait(false);
            CheckSinceRoot(_tree.Root);
            span = span[before..];
        }
        if (!span.IsEmpty) await AbsorbAsync(_tree.Append(span.Span), cancellationToken).ConfigureAwait(false);
    }

    private void CheckSinceRoot(Hash root)
    {
        if (root != _sinceRoot)
            throw new SplitViewException(CheckpointReader.Key, null,
                $"not consistent with the old checkpoint: the first {_sinceSize} leaves hash to {root.ToBase64()}, the old checkpoint says {_sinceRoot.ToBase64()}");
    }

    /// <summary>Compares every full tile above level 0 as it completes; remembers partial tiles for the end.</summary>
    private async Task AbsorbAsync(TreeUpdate update, CancellationToken cancellationToken)
    {
        foreach (var tile in update.Tiles)
        {
            if (tile.Id.IsPartial) _lastPartial[tile.Id.Level] = tile;
            else if (tile.Id.Level > 0) await CompareTileAsync(tile, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CompareTileAsync(Tile computed, CancellationToken cancellationToken)
    {
        var key = computed.Id.Path;
        var published = await ReadRequiredAsync(key, LogLimits.MaxTileBytes, cancellationToken).ConfigureAwait(false);
        if (!published.AsSpan().SequenceEqual(computed.Data.Span))
            throw new LogVerificationException(key, null, "differs from the tree recomputed from the entry bundles");
        RecordDigest(key, published);
    }

    private async Task CheckFinalTreeAsync(Hash checkpointRoot, CancellationToken cancellationToken)
    {
        if (_tree.Root != checkpointRoot)
            throw new LogVerificationException(CheckpointReader.Key, null,
                $"the entry bundles give root {_tree.Root.ToBase64()}, the checkpoint says {checkpointRoot.ToBase64()}");
        for (var level = 1; level < TreeTiles.LevelCount(_size); level++)
        {
            if (TreeTiles.PartialTile(_size, level) is not { } expected) continue;
            if (!_lastPartial.TryGetValue(level, out var computed) || computed.Id != expected)
                throw new InvalidOperationException($"internal error: no computed partial tile {expected.Path}");
            await CompareTileAsync(computed, cancellationToken).ConfigureAwait(false);
        }
    }

    private void RecordDigest(string key, byte[] bytes)
    {
        if (options.RecordFileDigests) _digests[key] = Digests.Sha256(bytes);
    }

    private RegisteredClient RequireClient(string file, ulong leaf, ClientId id) =>
        _clients.Find(id, leaf) ?? throw new LogVerificationException(file, leaf, $"client {id} is not registered at an earlier leaf");

    private void RequireFreshSequence(string file, ulong leaf, Domain.Content.EntryDescriptor descriptor)
    {
        if (!_sequences.Add(((UInt128)descriptor.Client.Value << 64) | descriptor.Sequence))
            throw new LogVerificationException(file, leaf, $"replay: client {descriptor.Client} already used sequence {descriptor.Sequence}");
    }

    /// <summary>Bookkeeping for slots that point elsewhere: blobs to stream, tombstones to match with notices.</summary>
    private void FollowSlot(ulong leaf, LeafRecord record, PayloadSlot slot, List<(ulong, BlobReference)> blobChecks)
    {
        var descriptor = record switch
        {
            EntryRecord e => e.Descriptor,
            BatchedEntryRecord b => b.Descriptor,
            _ => null,
        };
        if (descriptor is null) return;
        switch (slot)
        {
            case BlobPayload blob:
                var reference = new BlobReference(BlobPayload.KeyFor(descriptor.Commitment), blob.Salt, blob.Size, descriptor.Commitment);
                _blobs.Add(reference);
                if (options.CheckBlobs) blobChecks.Add((leaf, reference));
                break;
            case Tombstone tombstone:
                _tombstones.Add((leaf, tombstone.NoticeLeaf));
                if (descriptor.Size > PayloadSlot.InlineLimit) _erasedBlobs.Add(BlobPayload.KeyFor(descriptor.Commitment));
                break;
        }
    }

    private async Task CheckBlobAsync(ulong leaf, BlobReference blob, CancellationToken cancellationToken)
    {
        var stream = await source.TryOpenReadAsync(blob.Key, cancellationToken).ConfigureAwait(false)
            ?? throw new LogVerificationException(blob.Key, leaf, "blob missing (its entry is not erased)");
        await using (stream.ConfigureAwait(false))
        {
            var problem = await BlobCheck.CheckAsync(stream, blob, read =>
            {
                _blobBytes += read;
                progress?.Report(new VerifyProgress(_tree.Size.Value, _size.Value, _blobBytes));
            }, cancellationToken).ConfigureAwait(false);
            if (problem is not null) throw new LogVerificationException(blob.Key, leaf, problem);
        }
    }

    private async Task AddToBatchAsync(string file, ulong leaf, BatchedEntryRecord record, CancellationToken cancellationToken)
    {
        if (_openBatch is { } open && open.Root == record.Batch && record.IndexInBatch == (uint)open.Descriptors.Count)
        {
            if (open.Descriptors.Count >= BatchTree.MaxEntries)
                throw new LogVerificationException(file, leaf, $"batch {open.Root} runs past {BatchTree.MaxEntries} entries");
            open.Descriptors.Add(record.Descriptor);
            return;
        }
        await CloseBatchAsync(cancellationToken).ConfigureAwait(false);
        if (record.IndexInBatch != 0)
            throw new LogVerificationException(file, leaf, $"batched entry {record.IndexInBatch} of batch {record.Batch} does not follow the batch's earlier entries");
        _openBatch = new OpenBatch(record.Batch, leaf);
        _openBatch.Descriptors.Add(record.Descriptor);
    }

    private async Task CloseBatchAsync(CancellationToken cancellationToken)
    {
        if (_openBatch is not { } batch) return;
        _openBatch = null;
        _batches++;
        var key = BatchCertificate.KeyFor(batch.Root);
        var bytes = await source.TryReadAllAsync(key, LogLimits.MaxCertificateBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new LogVerificationException(key, batch.FirstLeaf, "batch certificate missing");
        BatchCertificate certificate;
        try
        {
            certificate = BatchCertificate.Parse(bytes);
        }
        catch (LogFormatException e)
        {
            throw new LogVerificationException(key, batch.FirstLeaf, e.Message);
        }
        if (certificate is DistilledBatchCertificate) _distilled++;
        RecordDigest(key, bytes);
        _pendingBatches.Add(new Check(key, batch.FirstLeaf, () => SignatureChecks.Batch(_origin, batch, certificate, _clients)));
    }

    private List<ErasedLeaf> CheckTombstones()
    {
        var erased = new List<ErasedLeaf>(_tombstones.Count);
        foreach (var (leaf, notice) in _tombstones)
        {
            if (notice >= _size.Value)
                throw new LogVerificationException(PayloadFile.KeyFor(leaf), leaf, $"tombstone names notice leaf {notice}, beyond the checkpoint's {_size} leaves");
            if (!_notices.TryGetValue(notice, out var record) || record.TargetLeaf != leaf)
                throw new LogVerificationException(PayloadFile.KeyFor(leaf), leaf, $"tombstone names leaf {notice}, which is not a redaction notice for this leaf");
            erased.Add(new ErasedLeaf(leaf, notice, record.Reason, record.LegalBasis, record.Time));
        }
        return erased;
    }

    /// <summary>
    /// Runs the signature checks gathered so far on every core, registrations and entries before batches (whose
    /// aggregate checks need the proven BLS keys); reports the problem at the earliest leaf.
    /// </summary>
    private void RunPendingChecks()
    {
        var checks = _pending;
        var batches = _pendingBatches;
        if (checks.Count == 0 && batches.Count == 0) return;
        _pending = new List<Check>(PendingChecksLimit);
        _pendingBatches = [];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) };
        var problems = new string?[checks.Count];
        Parallel.For(0, checks.Count, parallel, i => problems[i] = checks[i].Run());
        var batchProblems = new string?[batches.Count];
        Parallel.For(0, batches.Count, parallel, i => batchProblems[i] = batches[i].Run());
        Check? first = null;
        string? firstProblem = null;
        for (var i = 0; i < problems.Length; i++)
        {
            if (problems[i] is { } p && (first is null || checks[i].Leaf < first.Value.Leaf)) (first, firstProblem) = (checks[i], p);
        }
        for (var i = 0; i < batchProblems.Length; i++)
        {
            if (batchProblems[i] is { } p && (first is null || batches[i].Leaf < first.Value.Leaf)) (first, firstProblem) = (batches[i], p);
        }
        if (first is { } check) throw new LogVerificationException(check.File, check.Leaf, firstProblem!);
    }

    private static T Guard<T>(string file, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (LogVerificationException e) when (e.File is null)
        {
            throw new LogVerificationException(file, e.Leaf, e.Problem);
        }
    }

    private readonly record struct Check(string File, ulong Leaf, Func<string?> Run);
}
