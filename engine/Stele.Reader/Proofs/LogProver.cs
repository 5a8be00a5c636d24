using Stele.Reader.Sources;
using Stele.Reader.Verification;
using Stele.Tlog;
using Stele.Tlog.Notes;
using Stele.Tlog.Proofs;
using Stele.Tlog.Tiles;

namespace Stele.Reader.Proofs;

/// <summary>
/// Inclusion and consistency proofs built from a log's tiles and checked against its checkpoint,
/// which is first verified against the trusted key: a returned proof has been verified.
/// </summary>
public static class LogProver
{
    public static async Task<InclusionProof> ProveInclusionAsync(ILogSource source, NoteVerifierKey trusted, ulong leaf, CancellationToken cancellationToken = default)
    {
        var (checkpoint, _) = await CheckpointReader.ReadVerifiedAsync(source, trusted, cancellationToken).ConfigureAwait(false);
        if (leaf >= checkpoint.Size.Value) throw new LogVerificationException(null, leaf, $"not in the log: the checkpoint covers {checkpoint.Size} leaves");
        var tileIndex = leaf / TileId.FullWidth;
        var remaining = checkpoint.Size.Value - tileIndex * TileId.FullWidth;
        var width = remaining >= TileId.FullWidth ? TileId.FullWidth : (int)remaining;
        var bundleKey = TileId.Entries(tileIndex, width).Path;
        var bundle = await source.TryReadAllAsync(bundleKey, LogLimits.MaxBundleBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new LogVerificationException(bundleKey, leaf, "missing (the checkpoint covers it)");
        var entries = EntryBundle.Split(bundle, width, out var problem);
        if (problem is not null) throw new LogVerificationException(bundleKey, null, problem);
        var (offset, length) = entries[(int)(leaf % TileId.FullWidth)];
        var record = bundle.AsMemory(offset, length);
        var leafHash = Rfc6962.HashLeaf(record.Span);
        var path = await ProofFromTilesAsync(source, () => TileProofs.InclusionProofAsync(new SourceTileReader(source), new LeafIndex(leaf), checkpoint.Size, cancellationToken)).ConfigureAwait(false);
        var check = MerkleVerifier.CheckInclusion(new LeafIndex(leaf), checkpoint.Size, leafHash, path, checkpoint.Root);
        if (!check.IsValid) throw new LogVerificationException(bundleKey, leaf, $"inclusion proof does not verify against the checkpoint: {check.Failure}");
        return new InclusionProof(checkpoint.Origin, checkpoint.Size, checkpoint.Root, new LeafIndex(leaf), leafHash, path, record);
    }

    /// <summary>Finds the leaf whose RFC 6962 leaf hash is <paramref name="leafHash"/> (scanning level-0 tiles) and proves it.</summary>
    public static async Task<InclusionProof> ProveInclusionAsync(ILogSource source, NoteVerifierKey trusted, Hash leafHash, CancellationToken cancellationToken = default)
    {
        var (checkpoint, _) = await CheckpointReader.ReadVerifiedAsync(source, trusted, cancellationToken).ConfigureAwait(false);
        var reader = new SourceTileReader(source);
        var tiles = (checkpoint.Size.Value + TileId.FullWidth - 1) / TileId.FullWidth;
        for (ulong t = 0; t < tiles; t++)
        {
            var id = TreeTiles.TileHolding(checkpoint.Size, 0, t * TileId.FullWidth);
            var data = await ProofFromTilesAsync(source, async () => (await reader.ReadTileAsync(id, cancellationToken).ConfigureAwait(false)).ToArray()).ConfigureAwait(false);
            var hashes = Hash.FromTileBytes(data);
            for (var i = 0; i < hashes.Length; i++)
            {
                if (hashes[i] == leafHash) return await ProveInclusionAsync(source, trusted, t * TileId.FullWidth + (ulong)i, cancellationToken).ConfigureAwait(false);
            }
        }
        throw new LogVerificationException(null, null, $"no leaf with hash {leafHash.ToHex()} among the {checkpoint.Size} leaves of the log");
    }

    /// <summary>
    /// Proves the tree of <paramref name="oldSize"/> is a prefix of the verified checkpoint's tree. When
    /// <paramref name="oldCheckpoint"/> is given it must verify too, and its root is the one proved.
    /// </summary>
    public static async Task<ConsistencyProof> ProveConsistencyAsync(
        ILogSource source, NoteVerifierKey trusted, TreeSize oldSize, ReadOnlyMemory<byte>? oldCheckpoint = null, CancellationToken cancellationToken = default)
    {
        var (checkpoint, _) = await CheckpointReader.ReadVerifiedAsync(source, trusted, cancellationToken).ConfigureAwait(false);
        if (oldSize > checkpoint.Size)
            throw new SplitViewException(CheckpointReader.Key, null, $"the log has {checkpoint.Size} leaves, fewer than the old size {oldSize}");
        var reader = new SourceTileReader(source);
        var oldRoot = await ProofFromTilesAsync(source,
            () => TileProofs.TreeHashAsync(new PrefixTileReader(reader, checkpoint.Size), oldSize, cancellationToken)).ConfigureAwait(false);
        if (oldCheckpoint is { } oldBytes)
        {
            var old = CheckpointReader.Verify(oldBytes.Span, trusted, "the old checkpoint");
            if (old.Size != oldSize) throw new ArgumentException($"the old checkpoint has size {old.Size}, not {oldSize}", nameof(oldSize));
            oldRoot = old.Root;
        }
        if (oldSize.IsEmpty) return new ConsistencyProof(checkpoint.Origin, oldSize, oldRoot, checkpoint.Size, checkpoint.Root, []);
        var path = await ProofFromTilesAsync(source, () => TileProofs.ConsistencyProofAsync(reader, oldSize, checkpoint.Size, cancellationToken)).ConfigureAwait(false);
        var check = MerkleVerifier.CheckConsistency(oldSize, checkpoint.Size, path, oldRoot, checkpoint.Root);
        if (!check.IsValid) throw new SplitViewException(CheckpointReader.Key, null, $"consistency proof from size {oldSize} does not verify: {check.Failure}");
        return new ConsistencyProof(checkpoint.Origin, oldSize, oldRoot, checkpoint.Size, checkpoint.Root, path);
    }

    private static async Task<T> ProofFromTilesAsync<T>(ILogSource source, Func<Task<T>> build)
    {
        try
        {
            return await build().ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new LogVerificationException(e.FileName, null, $"missing at {source.Location} (a proof needs it)", e);
        }
        catch (InvalidDataException e)
        {
            throw new LogVerificationException(null, null, e.Message, e);
        }
    }
}
