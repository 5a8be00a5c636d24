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
        var window = new Queue<Task<TileFiles>>();
        ulong next = 0;
        for (ulong t = 0; t < tileCount; t++)
        {
            while (next < tileCount && window.Count < Math.Max(1, options.Prefetch))
                window.Enqueue(FetchTileFilesAsync(next++, cancellationToken));
            var files = await window.Dequeue().ConfigureAwait(false);
            await VerifyTileAsync(files, cancellationToken).ConfigureAwait(false);
            progress?.Report(new VerifyProgress(_tree.Size.Value, _size.Value, _blobBytes));
        }
        await CloseBatchAsync(cancellationToken).ConfigureAwait(false);
        if (_sinceSize is { IsEmpty: true }) CheckSinceRoot(Rfc6962.EmptyTreeHash);
        await CheckFinalTreeAsync(checkpoint.Root, cancellationToken).ConfigureAwait(false);
        var erased = CheckTombstones();
        _digests[CheckpointReader.Key] = Digests.Sha256(checkpointBytes);

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

    private sealed record TileFiles(ulong Index, int Width, string BundleKey, byte[] Bundle, string HashTileKey, byte[] HashTile, string PayloadKey, byte[] Payload);

    private async Task<TileFiles> FetchTileFilesAsync(ulong index, CancellationToken cancellationToken)
    {
        var remaining = _size.Value - index * Width;
        var width = remaining >= Width ? Width : (int)remaining;
        var bundleKey = TileId.Entries(index, width).Path;
        var hashKey = TileId.Hashes(0, index, width).Path;
        var payloadKey = PayloadFile.KeyFor(index * Width);
        var bundle = ReadRequiredAsync(bundleKey, LogLimits.MaxBundleBytes, cancellationToken);
        var hashes = ReadRequiredAsync(hashKey, LogLimits.MaxTileBytes, cancellationToken);
        var payload = ReadRequiredAsync(payloadKey, LogLimits.MaxPayloadFileBytes, cancellationToken);
        return new TileFiles(index, width, bundleKey, await bundle.ConfigureAwait(false), hashKey, await hashes.ConfigureAwait(false),
            payloadKey, await payload.ConfigureAwait(false));
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

    private async Task VerifyTileAsync(TileFiles files, CancellationToken cancellationToken)
    {
        var first = files.Index * Width;
        var entries = EntryBundle.Split(files.Bundle, files.Width, out var bundleProblem);
        if (bundleProblem is not null) throw new LogVerificationException(files.BundleKey, null, bundleProblem);

        // Leaf hashes from the bundle must be exactly the published level-0 tile.
        var leafHashes = new Hash[files.Width];
        var records = new LeafRecord[files.Width];
        for (var i = 0; i < files.Width; i++)
        {
            var bytes = files.Bundle.AsSpan(entries[i].Offset, entries[i].Length);
            leafHashes[i] = Rfc6962.HashLeaf(bytes);
            try
            {
                records[i] = LeafRecord.Parse(bytes);
            }
            catch (LogFormatException e)
            {
                throw new LogVerificationException(files.BundleKey, first + (ulong)i, $"malformed leaf record: {e.Message}");
            }
        }
        CheckLevelZeroTile(files, leafHashes);
        _digests[files.BundleKey] = Digests.Sha256(files.Bundle);
        _digests[files.HashTileKey] = Digests.Sha256(files.HashTile);
        await AppendToTreeAsync(leafHashes, cancellationToken).ConfigureAwait(false);

        PayloadFile payload;
        try
        {
            payload = PayloadFile.Parse(files.Payload);
        }
        catch (LogFormatException e)
        {
            throw new LogVerificationException(files.PayloadKey, null, e.Message);
        }
        if (payload.FirstLeaf != first) throw new LogVerificationException(files.PayloadKey, null, $"starts at leaf {payload.FirstLeaf}, not {first}");
        if (payload.Slots.Count < files.Width)
            throw new LogVerificationException(files.PayloadKey, null, $"has {payload.Slots.Count} slots; the checkpoint covers {files.Width} leaves of it");
        _digests[files.PayloadKey] = Digests.Sha256(files.Payload);
        _lastPayload = (files.PayloadKey, files.Payload);

        var signatureChecks = new List<Check>(files.Width);
        var batchChecks = new List<Check>();
        var blobChecks = new List<(ulong Leaf, BlobReference Blob)>();
        for (var i = 0; i < files.Width; i++)
        {
            var leaf = first + (ulong)i;
            var record = records[i];
            _kinds.Add((byte)record.Kind);
            if (record is not BatchedEntryRecord) await CloseBatchAsync(batchChecks, cancellationToken).ConfigureAwait(false);
            switch (record)
            {
                case RegistrationRecord registration:
                    _registrations++;
                    var client = Guard(files.BundleKey, () => _clients.Add(registration, leaf));
                    signatureChecks.Add(new Check(files.BundleKey, leaf, () => SignatureChecks.Registration(_origin, client)));
                    RequireNoPayload(files.PayloadKey, leaf, payload.Slots[i]);
                    break;
                case EntryRecord entry:
                    _entries++;
                    var signer = RequireClient(files.BundleKey, leaf, entry.Descriptor.Client);
                    RequireFreshSequence(files.BundleKey, leaf, entry.Descriptor);
                    signatureChecks.Add(new Check(files.BundleKey, leaf, () => SignatureChecks.Entry(_origin, entry, signer)));
                    CheckOpening(files.PayloadKey, leaf, entry.Descriptor, payload.Slots[i], blobChecks);
                    break;
                case BatchedEntryRecord batched:
                    _batched++;
                    RequireClient(files.BundleKey, leaf, batched.Descriptor.Client);
                    RequireFreshSequence(files.BundleKey, leaf, batched.Descriptor);
                    await AddToBatchAsync(files.BundleKey, leaf, batched, batchChecks, cancellationToken).ConfigureAwait(false);
                    CheckOpening(files.PayloadKey, leaf, batched.Descriptor, payload.Slots[i], blobChecks);
                    break;
                case RedactionRecord redaction:
                    _redactions++;
                    if (redaction.TargetLeaf >= leaf)
                        throw new LogVerificationException(files.BundleKey, leaf, $"redaction notice targets leaf {redaction.TargetLeaf}, which is not an earlier leaf");
                    if ((LeafKind)_kinds[(int)redaction.TargetLeaf] is not (LeafKind.Entry or LeafKind.BatchedEntry))
                        throw new LogVerificationException(files.BundleKey, leaf, $"redaction notice targets leaf {redaction.TargetLeaf}, which is not an entry");
                    _notices[leaf] = redaction;
                    RequireNoPayload(files.PayloadKey, leaf, payload.Slots[i]);
                    break;
            }
        }
        // Registrations and entries first: their PoP checks give the proven BLS keys the batches need.
        RunChecks(signatureChecks);
        RunChecks(batchChecks);
        foreach (var (leaf, blob) in blobChecks) await CheckBlobAsync(leaf, blob, cancellationToken).ConfigureAwait(false);
    }

    private void CheckLevelZeroTile(TileFiles files, Hash[] leafHashes)
    {
        var expected = Hash.AsBytes(leafHashes);
        if (files.HashTile.AsSpan().SequenceEqual(expected)) return;
        if (files.HashTile.Length != expected.Length)
            throw new LogVerificationException(files.HashTileKey, null, $"has {files.HashTile.Length} bytes; {files.Width} leaf hashes take {expected.Length}");
        var at = files.HashTile.AsSpan().CommonPrefixLength(expected) / Hash.Length;
        throw new LogVerificationException(files.HashTileKey, files.Index * Width + (ulong)at,
            $"leaf hash differs from the hash of the record in {files.BundleKey}");
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
        _digests[key] = Digests.Sha256(published);
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

    private RegisteredClient RequireClient(string file, ulong leaf, ClientId id) =>
        _clients.Find(id, leaf) ?? throw new LogVerificationException(file, leaf, $"client {id} is not registered at an earlier leaf");

    private void RequireFreshSequence(string file, ulong leaf, Domain.Content.EntryDescriptor descriptor)
    {
        if (!_sequences.Add(((UInt128)descriptor.Client.Value << 64) | descriptor.Sequence))
            throw new LogVerificationException(file, leaf, $"replay: client {descriptor.Client} already used sequence {descriptor.Sequence}");
    }

    private static void RequireNoPayload(string file, ulong leaf, PayloadSlot slot)
    {
        if (slot is not NoPayload) throw new LogVerificationException(file, leaf, "a registration or redaction notice has content in its payload slot");
    }

    private void CheckOpening(string file, ulong leaf, Domain.Content.EntryDescriptor descriptor, PayloadSlot slot, List<(ulong, BlobReference)> blobChecks)
    {
        switch (slot)
        {
            case InlinePayload inline:
                if (!inline.Opens(descriptor.Commitment, descriptor.Size))
                    throw new LogVerificationException(file, leaf, "inline content and salt do not open the entry's commitment and size");
                break;
            case BlobPayload blob:
                if (blob.Size != descriptor.Size)
                    throw new LogVerificationException(file, leaf, $"blob slot says {blob.Size} bytes; the entry's size is {descriptor.Size}");
                var reference = new BlobReference(BlobPayload.KeyFor(descriptor.Commitment), blob.Salt, blob.Size, descriptor.Commitment);
                _blobs.Add(reference);
                if (options.CheckBlobs) blobChecks.Add((leaf, reference));
                break;
            case Tombstone tombstone:
                _tombstones.Add((leaf, tombstone.NoticeLeaf));
                if (descriptor.Size > PayloadSlot.InlineLimit) _erasedBlobs.Add(BlobPayload.KeyFor(descriptor.Commitment));
                break;
            default:
                throw new LogVerificationException(file, leaf, "the entry has no opening in its payload slot");
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

    private async Task AddToBatchAsync(string file, ulong leaf, BatchedEntryRecord record, List<Check> batchChecks, CancellationToken cancellationToken)
    {
        if (_openBatch is { } open && open.Root == record.Batch && record.IndexInBatch == (uint)open.Descriptors.Count)
        {
            if (open.Descriptors.Count >= BatchTree.MaxEntries)
                throw new LogVerificationException(file, leaf, $"batch {open.Root} runs past {BatchTree.MaxEntries} entries");
            open.Descriptors.Add(record.Descriptor);
            return;
        }
        await CloseBatchAsync(batchChecks, cancellationToken).ConfigureAwait(false);
        if (record.IndexInBatch != 0)
            throw new LogVerificationException(file, leaf, $"batched entry {record.IndexInBatch} of batch {record.Batch} does not follow the batch's earlier entries");
        _openBatch = new OpenBatch(record.Batch, leaf);
        _openBatch.Descriptors.Add(record.Descriptor);
    }

    private async Task CloseBatchAsync(CancellationToken cancellationToken)
    {
        var checks = new List<Check>();
        await CloseBatchAsync(checks, cancellationToken).ConfigureAwait(false);
        RunChecks(checks);
    }

    private async Task CloseBatchAsync(List<Check> batchChecks, CancellationToken cancellationToken)
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
        _digests[key] = Digests.Sha256(bytes);
        batchChecks.Add(new Check(key, batch.FirstLeaf, () => SignatureChecks.Batch(_origin, batch, certificate, _clients)));
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

    private void RunChecks(List<Check> checks)
    {
        if (checks.Count == 0) return;
        var problems = new string?[checks.Count];
        Parallel.For(0, checks.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) },
            i => problems[i] = checks[i].Run());
        for (var i = 0; i < problems.Length; i++)
        {
            if (problems[i] is { } problem) throw new LogVerificationException(checks[i].File, checks[i].Leaf, problem);
        }
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
