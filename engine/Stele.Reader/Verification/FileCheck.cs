using Stele.Domain;
using Stele.Domain.Batches;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Reader.Sources;
using Stele.Tlog;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;
using Stele.Tlog.Tiles;

namespace Stele.Reader.Verification;

/// <summary>
/// `stele verify --full`, fsck-like: every file the checkpoint implies (every full and partial hash tile at
/// every level, entry bundle, payload file, batch certificate, blob of a live entry) must exist and hold the
/// bytes the checkpoint commits to. Unlike <see cref="LogVerifier"/> it does not stop at the first problem:
/// it names every missing or altered file. When a bundle and its level-0 tile disagree, the level-1 tile
/// above (or, for the last tile, the checkpoint root) says which one was altered.
/// </summary>
public static class FileCheck
{
    public static async Task<FileCheckReport> CheckAsync(ILogSource source, NoteVerifierKey trusted, IProgress<VerifyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(trusted);
        var (checkpoint, _) = await CheckpointReader.ReadVerifiedAsync(source, trusted, cancellationToken).ConfigureAwait(false);
        return await new FileCheckRun(source, checkpoint, progress).RunAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>One full file check, tile by tile in leaf order (files prefetched and parsed ahead on the thread pool).</summary>
internal sealed class FileCheckRun(ILogSource source, VerifiedCheckpoint checkpoint, IProgress<VerifyProgress>? progress)
{
    private const int Width = TileId.FullWidth;
    private const int Prefetch = 16;

    private readonly List<FileProblem> _problems = [];
    private readonly List<Hash> _subtrees = []; // root of each full 256-leaf tile, as the checkpoint should commit to it
    private readonly List<LeafKind?> _kinds = [];
    private readonly Dictionary<ulong, RedactionRecord> _notices = [];
    private readonly List<(ulong Leaf, ulong Notice)> _tombstones = [];
    private readonly List<(ulong Leaf, BlobReference Blob)> _blobs = [];
    private readonly List<string> _erasedBlobs = [];
    private readonly ClientRegistry _clients = new();
    private readonly Dictionary<ulong, Hash[]?> _levelOne = [];
    private readonly LogOrigin _origin = new(checkpoint.Origin);
    private OpenBatch? _batch;
    private Hash? _lastTileRoot;
    private bool _treeBroken;
    private long _files = 1;

    private TreeSize Size => checkpoint.Size;

    public async Task<FileCheckReport> RunAsync(CancellationToken cancellationToken)
    {
        var tileCount = (Size.Value + Width - 1) / Width;
        var window = new Queue<Task<ScannedTile>>();
        ulong next = 0;
        for (ulong t = 0; t < tileCount; t++)
        {
            while (next < tileCount && window.Count < Prefetch) window.Enqueue(ScanAsync(next++, cancellationToken));
            await ConsumeAsync(await window.Dequeue().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            progress?.Report(new VerifyProgress(Math.Min(Size.Value, (t + 1) * Width), Size.Value, 0));
        }
        await CloseBatchAsync(cancellationToken).ConfigureAwait(false);
        await CheckUpperTilesAsync(cancellationToken).ConfigureAwait(false);
        CheckTombstones();
        await CheckBlobsAsync(cancellationToken).ConfigureAwait(false);
        var ordered = _problems.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Leaf).ToList();
        return new FileCheckReport(checkpoint.Origin, Size, _files, ordered);
    }

    /// <summary>What one tile's three files say on their own.</summary>
    private sealed record ScannedTile(ulong Index, int TileWidth, string BundleKey, string HashTileKey, string PayloadKey,
        Hash[]? BundleHashes, LeafRecord[]? Records, Hash[]? Published, PayloadFile? Payload, List<FileProblem> Problems);

    private async Task<ScannedTile> ScanAsync(ulong index, CancellationToken cancellationToken)
    {
        var remaining = Size.Value - index * Width;
        var width = remaining >= Width ? Width : (int)remaining;
        var (bundleKey, hashKey, payloadKey) = (TileId.Entries(index, width).Path, TileId.Hashes(0, index, width).Path, PayloadFile.KeyFor(index * Width));
        var bundle = ReadAsync(bundleKey, LogLimits.MaxBundleBytes, cancellationToken);
        var tile = ReadAsync(hashKey, LogLimits.MaxTileBytes, cancellationToken);
        var payload = ReadAsync(payloadKey, LogLimits.MaxPayloadFileBytes, cancellationToken);
        var (b, h, p) = (await bundle.ConfigureAwait(false), await tile.ConfigureAwait(false), await payload.ConfigureAwait(false));
        return await Task.Run(() => Scan(index, width, bundleKey, b, hashKey, h, payloadKey, p), cancellationToken).ConfigureAwait(false);
    }

    private static ScannedTile Scan(ulong index, int width, string bundleKey, ReadResult bundle, string hashKey, ReadResult tile, string payloadKey, ReadResult payload)
    {
        var problems = new List<FileProblem>();
        var first = index * Width;
        Hash[]? hashes = null;
        LeafRecord[]? records = null;
        if (Usable(bundleKey, bundle, problems) is { } bundleBytes)
        {
            var read = BundleReading.Read(bundleBytes, width, first);
            (hashes, records) = (read.LeafHashes, read.Records);
            if ((read.SplitProblem ?? read.MalformedProblem) is { } problem) problems.Add(new FileProblem(bundleKey, read.MalformedLeaf, FileProblemKind.Altered, problem));
        }
        Hash[]? published = null;
        if (Usable(hashKey, tile, problems) is { } tileBytes)
        {
            if (tileBytes.Length == width * Hash.Length) published = Hash.FromTileBytes(tileBytes).ToArray();
            else problems.Add(new FileProblem(hashKey, null, FileProblemKind.Altered, $"has {tileBytes.Length} bytes; {width} leaf hashes take {width * Hash.Length}"));
        }
        PayloadFile? parsed = null;
        if (Usable(payloadKey, payload, problems) is { } payloadBytes)
        {
            try
            {
                parsed = PayloadFile.Parse(payloadBytes);
                if (parsed.FirstLeaf != first) throw new LogFormatException($"starts at leaf {parsed.FirstLeaf}, not {first}");
                if (parsed.Slots.Count < width) throw new LogFormatException($"has {parsed.Slots.Count} slots; the checkpoint covers {width} leaves of it");
            }
            catch (LogFormatException e)
            {
                problems.Add(new FileProblem(payloadKey, null, FileProblemKind.Altered, e.Message));
                parsed = null;
            }
        }
        return new ScannedTile(index, width, bundleKey, hashKey, payloadKey, hashes, records, published, parsed, problems);
    }

    private static byte[]? Usable(string key, ReadResult read, List<FileProblem> problems)
    {
        if (read.Problem is { } problem) problems.Add(new FileProblem(key, null, FileProblemKind.Altered, problem));
        else if (read.Bytes is null) problems.Add(new FileProblem(key, null, FileProblemKind.Missing, "missing (the checkpoint covers it)"));
        return read.Bytes;
    }

    private readonly record struct ReadResult(byte[]? Bytes, string? Problem);

    private async Task<ReadResult> ReadAsync(string key, long maxBytes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _files);
        try
        {
            return new ReadResult(await source.TryReadAllAsync(key, maxBytes, cancellationToken).ConfigureAwait(false), null);
        }
        catch (InvalidDataException e)
        {
            return new ReadResult(null, e.Message);
        }
    }

    private async Task ConsumeAsync(ScannedTile tile, CancellationToken cancellationToken)
    {
        _problems.AddRange(tile.Problems);
        var trusted = await JudgeTreeAsync(tile, cancellationToken).ConfigureAwait(false);
        var records = trusted ? tile.Records : null;
        var first = tile.Index * Width;
        for (var i = 0; i < tile.TileWidth; i++)
        {
            var leaf = first + (ulong)i;
            var record = records?[i];
            _kinds.Add(record?.Kind);
            if (record is not BatchedEntryRecord) await CloseBatchAsync(cancellationToken).ConfigureAwait(false);
            switch (record)
            {
                case null:
                    continue;
                case RegistrationRecord registration:
                    Register(registration, leaf);
                    break;
                case BatchedEntryRecord batched:
                    await AddToBatchAsync(batched, leaf, cancellationToken).ConfigureAwait(false);
                    break;
                case RedactionRecord redaction:
                    _notices[leaf] = redaction;
                    break;
            }
            if (tile.Payload is { } payload) CheckSlot(tile.PayloadKey, leaf, record, payload.Slots[i]);
        }
    }

    /// <summary>
    /// Decides which of bundle and level-0 tile to believe, reports the other, and records the tile's subtree
    /// root for the upper levels. Returns whether the bundle's records can be trusted.
    /// </summary>
    private async Task<bool> JudgeTreeAsync(ScannedTile tile, CancellationToken cancellationToken)
    {
        var (fromBundle, published) = (tile.BundleHashes, tile.Published);
        Hash[]? chosen;
        var trusted = false;
        if (fromBundle is not null && published is not null && fromBundle.AsSpan().SequenceEqual(published))
        {
            (chosen, trusted) = (fromBundle, true);
        }
        else if (fromBundle is not null && published is not null)
        {
            var verdict = await WhichIsRightAsync(tile, fromBundle, published, cancellationToken).ConfigureAwait(false);
            if (verdict == true)
            {
                _problems.Add(new FileProblem(tile.HashTileKey, FirstDifference(tile, fromBundle, published), FileProblemKind.Altered, "leaf hash differs from the record in the (intact) bundle"));
                (chosen, trusted) = (fromBundle, true);
            }
            else if (verdict == false)
            {
                _problems.Add(new FileProblem(tile.BundleKey, FirstDifference(tile, fromBundle, published), FileProblemKind.Altered, "record differs from the leaf hash in the (intact) level-0 tile"));
                chosen = published;
            }
            else
            {
                _problems.Add(new FileProblem(tile.BundleKey, FirstDifference(tile, fromBundle, published), FileProblemKind.Altered, $"disagrees with {tile.HashTileKey}, and the tree above cannot tell which one is right"));
                chosen = fromBundle;
            }
        }
        else
        {
            // One of the two is missing or unreadable (already reported); the root check at the end confirms the other.
            chosen = fromBundle ?? published;
            trusted = fromBundle is not null && tile.Records is not null;
        }
        if (chosen is null)
        {
            _treeBroken = true;
            return false;
        }
        if (tile.TileWidth == Width) _subtrees.Add(PerfectRoot(chosen));
        else _lastTileRoot = Root(chosen);
        return trusted && tile.Records is not null;
    }

    private static ulong FirstDifference(ScannedTile tile, Hash[] a, Hash[] b)
    {
        var i = 0;
        while (i < a.Length && a[i] == b[i]) i++;
        return tile.Index * Width + (ulong)i;
    }

    /// <summary>True: the bundle is right; false: the level-0 tile is; null: neither can be confirmed.</summary>
    private async Task<bool?> WhichIsRightAsync(ScannedTile tile, Hash[] fromBundle, Hash[] published, CancellationToken cancellationToken)
    {
        if (tile.TileWidth == Width)
        {
            var parents = await LevelOneTileAsync(tile.Index / Width, cancellationToken).ConfigureAwait(false);
            var slot = (int)(tile.Index % Width);
            if (parents is null || slot >= parents.Length) return null;
            if (PerfectRoot(fromBundle) == parents[slot]) return true;
            if (PerfectRoot(published) == parents[slot]) return false;
            return null;
        }
        // The last, partial tile has no parent node: the checkpoint's root decides.
        if (_treeBroken) return null;
        if (TreeRoot(Root(fromBundle)) == checkpoint.Root) return true;
        if (TreeRoot(Root(published)) == checkpoint.Root) return false;
        return null;
    }

    private async Task<Hash[]?> LevelOneTileAsync(ulong index, CancellationToken cancellationToken)
    {
        if (_levelOne.TryGetValue(index, out var cached)) return cached;
        var nodes = TreeTiles.NodesAtTileLevel(Size, 1);
        if (index * Width >= nodes) return null;
        var id = TreeTiles.TileHolding(Size, 1, index * Width);
        var read = await ReadAsync(id.Path, LogLimits.MaxTileBytes, cancellationToken).ConfigureAwait(false);
        Hash[]? hashes = read.Bytes is { Length: var n } bytes && n == id.Width * Hash.Length ? Hash.FromTileBytes(bytes).ToArray() : null;
        Interlocked.Decrement(ref _files); // counted again when the upper tiles are checked
        _levelOne[index] = hashes;
        return hashes;
    }

    private void Register(RegistrationRecord registration, ulong leaf)
    {
        try
        {
            var client = _clients.Add(registration, leaf);
            SignatureChecks.Registration(_origin, client); // gives the proven BLS key batch certificates need
        }
        catch (LogVerificationException)
        {
            // A duplicate registration is a finding of `stele verify`, not a damaged file.
        }
    }

    private void CheckSlot(string payloadKey, ulong leaf, LeafRecord record, PayloadSlot slot)
    {
        if (PreparedTile.SlotProblem(record, slot) is { } problem)
        {
            _problems.Add(new FileProblem(payloadKey, leaf, FileProblemKind.Altered, problem));
            return;
        }
        var descriptor = record switch
        {
            EntryRecord e => e.Descriptor,
            BatchedEntryRecord b => b.Descriptor,
            _ => null,
        };
        if (descriptor is null) return;
        if (slot is BlobPayload blob) _blobs.Add((leaf, new BlobReference(BlobPayload.KeyFor(descriptor.Commitment), blob.Salt, blob.Size, descriptor.Commitment)));
        if (slot is Tombstone tombstone)
        {
            _tombstones.Add((leaf, tombstone.NoticeLeaf));
            if (descriptor.Size > PayloadSlot.InlineLimit) _erasedBlobs.Add(BlobPayload.KeyFor(descriptor.Commitment));
        }
    }

    private async Task AddToBatchAsync(BatchedEntryRecord record, ulong leaf, CancellationToken cancellationToken)
    {
        if (_batch is { } open && open.Root == record.Batch && record.IndexInBatch == (uint)open.Descriptors.Count)
        {
            open.Descriptors.Add(record.Descriptor);
            return;
        }
        await CloseBatchAsync(cancellationToken).ConfigureAwait(false);
        _batch = new OpenBatch(record.Batch, leaf);
        _batch.Descriptors.Add(record.Descriptor);
    }

    private async Task CloseBatchAsync(CancellationToken cancellationToken)
    {
        if (_batch is not { } batch) return;
        _batch = null;
        var key = BatchCertificate.KeyFor(batch.Root);
        var read = await ReadAsync(key, LogLimits.MaxCertificateBytes, cancellationToken).ConfigureAwait(false);
        var problems = new List<FileProblem>();
        if (Usable(key, read, problems) is not { } bytes)
        {
            _problems.AddRange(problems.Select(p => p with { Leaf = batch.FirstLeaf }));
            return;
        }
        string? problem;
        try
        {
            problem = SignatureChecks.Batch(_origin, batch, BatchCertificate.Parse(bytes), _clients);
        }
        catch (LogFormatException e)
        {
            problem = e.Message;
        }
        catch (InvalidOperationException e)
        {
            problem = e.Message; // a participant whose registration did not check out
        }
        if (problem is not null) _problems.Add(new FileProblem(key, batch.FirstLeaf, FileProblemKind.Altered, problem));
    }

    /// <summary>Every hash tile above level 0, recomputed from the chosen subtree roots, and the checkpoint root.</summary>
    private async Task CheckUpperTilesAsync(CancellationToken cancellationToken)
    {
        var expected = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!_treeBroken)
        {
            var root = TreeRoot(_lastTileRoot);
            if (root != checkpoint.Root)
                _problems.Add(new FileProblem(CheckpointReader.Key, null, FileProblemKind.Altered,
                    $"the published bundles and tiles give root {root.ToBase64()}, the checkpoint commits to {checkpoint.Root.ToBase64()}"));
            var nodes = _subtrees.ToArray();
            for (var level = 1; nodes.Length > 0; level++)
            {
                var next = new List<Hash>();
                for (var start = 0; start < nodes.Length; start += Width)
                {
                    var chunk = nodes.AsSpan(start, Math.Min(Width, nodes.Length - start));
                    expected[TileId.Hashes(level, (ulong)(start / Width), chunk.Length).Path] = Hash.AsBytes(chunk).ToArray();
                    if (chunk.Length == Width) next.Add(PerfectRoot(chunk));
                }
                nodes = [.. next];
            }
        }
        var upper = TreeTiles.All(Size).Where(t => t.Level > 0).ToList();
        await Parallel.ForEachAsync(upper, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            var read = await ReadAsync(id.Path, LogLimits.MaxTileBytes, ct).ConfigureAwait(false);
            FileProblem? problem = null;
            if (read.Bytes is null) problem = new FileProblem(id.Path, null, read.Problem is null ? FileProblemKind.Missing : FileProblemKind.Altered, read.Problem ?? "missing (the checkpoint covers it)");
            else if (expected.TryGetValue(id.Path, out var bytes) ? !bytes.AsSpan().SequenceEqual(read.Bytes) : read.Bytes.Length != id.HashTileByteLength)
                problem = new FileProblem(id.Path, null, FileProblemKind.Altered, "differs from the tree recomputed from the entry bundles");
            if (problem is not null)
            {
                lock (_problems) _problems.Add(problem);
            }
        }).ConfigureAwait(false);
    }

    private void CheckTombstones()
    {
        foreach (var (leaf, notice) in _tombstones)
        {
            if (notice < (ulong)_kinds.Count && _kinds[(int)notice] is null) continue; // the notice's bundle is damaged (reported)
            if (!_notices.TryGetValue(notice, out var record) || record.TargetLeaf != leaf)
                _problems.Add(new FileProblem(PayloadFile.KeyFor(leaf), leaf, FileProblemKind.Altered, $"tombstone names leaf {notice}, which is not a redaction notice for this leaf"));
        }
    }

    private async Task CheckBlobsAsync(CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(_blobs.DistinctBy(b => b.Blob.Key), options, async (item, ct) =>
        {
            Interlocked.Increment(ref _files);
            var stream = await source.TryOpenReadAsync(item.Blob.Key, ct).ConfigureAwait(false);
            FileProblem? problem;
            if (stream is null)
            {
                problem = new FileProblem(item.Blob.Key, item.Leaf, FileProblemKind.Missing, "blob missing (its entry is not erased)");
            }
            else
            {
                await using (stream.ConfigureAwait(false))
                {
                    var found = await BlobCheck.CheckAsync(stream, item.Blob, _ => { }, ct).ConfigureAwait(false);
                    problem = found is null ? null : new FileProblem(item.Blob.Key, item.Leaf, FileProblemKind.Altered, found);
                }
            }
            if (problem is not null)
            {
                lock (_problems) _problems.Add(problem);
            }
        }).ConfigureAwait(false);
        var live = _blobs.Select(b => b.Blob.Key).ToHashSet(StringComparer.Ordinal);
        await Parallel.ForEachAsync(_erasedBlobs.Distinct().Where(k => !live.Contains(k)), options, async (key, ct) =>
        {
            var stream = await source.TryOpenReadAsync(key, ct).ConfigureAwait(false);
            if (stream is null) return;
            await stream.DisposeAsync().ConfigureAwait(false);
            lock (_problems) _problems.Add(new FileProblem(key, null, FileProblemKind.NotErased, "the blob of an erased entry is still published"));
        }).ConfigureAwait(false);
    }

    /// <summary>The RFC 6962 root of the whole tree from the full tiles' subtree roots and the last tile's root.</summary>
    private Hash TreeRoot(Hash? lastTileRoot)
    {
        if (Size.IsEmpty) return Rfc6962.EmptyTreeHash;
        return Node(0, Size.Value);

        // Every split of an RFC 6962 tree larger than one tile falls on a multiple of 256 leaves.
        Hash Node(ulong start, ulong end)
        {
            var count = end - start;
            if (count <= Width) return start / Width < (ulong)_subtrees.Count ? _subtrees[(int)(start / Width)] : lastTileRoot!.Value;
            var split = 1UL << (63 - System.Numerics.BitOperations.LeadingZeroCount(count - 1));
            return Rfc6962.HashChildren(Node(start, start + split), Node(start + split, end));
        }
    }

    private static Hash PerfectRoot(ReadOnlySpan<Hash> hashes)
    {
        var level = hashes.ToArray();
        for (var n = level.Length; n > 1; n /= 2)
        {
            for (var i = 0; i < n / 2; i++) level[i] = Rfc6962.HashChildren(level[2 * i], level[2 * i + 1]);
        }
        return level[0];
    }

    /// <summary>RFC 6962 root of any number of leaf hashes (the last, partial tile).</summary>
    private static Hash Root(ReadOnlySpan<Hash> hashes)
    {
        if (hashes.Length == 1) return hashes[0];
        var split = 1 << (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)hashes.Length - 1));
        return Rfc6962.HashChildren(Root(hashes[..split]), Root(hashes[split..]));
    }
}
