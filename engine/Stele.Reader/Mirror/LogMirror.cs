using Stele.Reader.Sources;
using Stele.Reader.Verification;
using Stele.Storage;
using Stele.Tlog.Notes;

namespace Stele.Reader.Mirror;

/// <summary>
/// Copies a log to another store: verify the source (consistent with the destination's own checkpoint),
/// check every immutable file the destination already has is byte-identical (else: split view, nothing
/// written), copy what is new, and write the destination's checkpoint last. Re-running after an
/// interruption finishes the job, since nothing is visible at the destination before it is complete.
/// </summary>
public static class LogMirror
{
    private static readonly ObjectMetadata Immutable = new("application/octet-stream", "public, max-age=31536000, immutable");
    private static readonly ObjectMetadata Mutable = new("application/octet-stream", "no-cache");
    private static readonly ObjectMetadata CheckpointMetadata = new("text/plain; charset=utf-8", "no-cache");

    public static async Task<MirrorResult> MirrorAsync(
        ILogSource source, IObjectStore destination, NoteVerifierKey trusted, VerifyOptions? options = null,
        IProgress<MirrorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(trusted);
        await using var existing = new ObjectStoreLogSource(destination, ownsStore: false);
        var destinationCheckpoint = await existing.TryReadAllAsync(CheckpointReader.Key, LogLimits.MaxCheckpointBytes, cancellationToken).ConfigureAwait(false);
        Tlog.TreeSize? previous = null;
        if (destinationCheckpoint is not null)
            previous = CheckpointReader.Verify(destinationCheckpoint, trusted, $"{destination.Location}/checkpoint (the mirror's own)").Size;

        var verifyProgress = progress is null ? null : new Progress<VerifyProgress>(p => progress.Report(new MirrorProgress("verify", (long)p.LeavesDone, (long)p.TreeSize)));
        var verifyOptions = (options ?? VerifyOptions.Default) with
        {
            SinceCheckpoint = destinationCheckpoint is null ? null : (ReadOnlyMemory<byte>?)destinationCheckpoint,
            RecordFileDigests = true,
        };
        var log = await LogVerifier.VerifyAsync(source, trusted, verifyOptions, verifyProgress, cancellationToken).ConfigureAwait(false);

        var copier = new MirrorCopier(source, destination, existing, log, progress);
        await copier.RunAsync(cancellationToken).ConfigureAwait(false);
        return new MirrorResult(log, previous, copier.Copied, copier.Present, copier.Bytes, copier.Removed);
    }

    /// <summary>One mirror pass over a verified log.</summary>
    private sealed class MirrorCopier(ILogSource source, IObjectStore destination, ILogSource existing, VerifiedLog log, IProgress<MirrorProgress>? progress)
    {
        private const int Parallelism = 8;
        private int _copied, _present, _removed;
        private long _bytes;

        public int Copied => _copied;
        public int Present => _present;
        public int Removed => _removed;
        public long Bytes => _bytes;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var immutable = log.FileDigests.Keys.Where(k => k != CheckpointReader.Key && !k.StartsWith("payload/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var payloads = log.FileDigests.Keys.Where(k => k.StartsWith("payload/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

            // First look, write nothing: an immutable file that differs at the destination stops everything.
            var missing = new System.Collections.Concurrent.ConcurrentBag<string>();
            var missingBlobs = new System.Collections.Concurrent.ConcurrentBag<BlobReference>();
            long checkedCount = 0, total = immutable.Count + log.BlobReferences.Count;
            await Parallel.ForEachAsync(immutable, Options(cancellationToken), async (key, ct) =>
            {
                var bytes = await existing.TryReadAllAsync(key, LogLimits.MaxCertificateBytes, ct).ConfigureAwait(false);
                if (bytes is null) missing.Add(key);
                else if (!Digests.Sha256(bytes).AsSpan().SequenceEqual(log.FileDigests[key]))
                    throw new SplitViewException(key, null, $"{destination.Location} already holds different bytes for this immutable file; nothing more was written");
                else Interlocked.Increment(ref _present);
                progress?.Report(new MirrorProgress("compare", Interlocked.Increment(ref checkedCount), total));
            }).ConfigureAwait(false);
            await Parallel.ForEachAsync(log.BlobReferences.DistinctBy(b => b.Key), Options(cancellationToken), async (blob, ct) =>
            {
                var stream = await existing.TryOpenReadAsync(blob.Key, ct).ConfigureAwait(false);
                if (stream is null)
                {
                    missingBlobs.Add(blob);
                }
                else
                {
                    await using (stream.ConfigureAwait(false))
                    {
                        if (await BlobCheck.CheckAsync(stream, blob, _ => { }, ct).ConfigureAwait(false) is { } problem)
                            throw new SplitViewException(blob.Key, null, $"{destination.Location} holds a different blob under this name ({problem}); nothing more was written");
                    }
                    Interlocked.Increment(ref _present);
                }
                progress?.Report(new MirrorProgress("compare", Interlocked.Increment(ref checkedCount), total));
            }).ConfigureAwait(false);
            var payloadUpdates = await ComparePayloadsAsync(payloads, cancellationToken).ConfigureAwait(false);

            // Then copy: blobs, then certificates, bundles and tiles, then payload files, checkpoint last.
            long done = 0;
            var toCopy = missingBlobs.Count + missing.Count + payloadUpdates.Count + 1;
            await Parallel.ForEachAsync(missingBlobs, Options(cancellationToken), async (blob, ct) =>
            {
                await CopyBlobAsync(blob, ct).ConfigureAwait(false);
                progress?.Report(new MirrorProgress("copy", Interlocked.Increment(ref done), toCopy));
            }).ConfigureAwait(false);
            await Parallel.ForEachAsync(missing.Order(StringComparer.Ordinal), Options(cancellationToken), async (key, ct) =>
            {
                var bytes = await source.TryReadAllAsync(key, LogLimits.MaxCertificateBytes, ct).ConfigureAwait(false)
                    ?? throw new LogVerificationException(key, null, "disappeared from the source after it was verified");
                if (!Digests.Sha256(bytes).AsSpan().SequenceEqual(log.FileDigests[key]))
                    throw new SplitViewException(key, null, "the source served different bytes for this immutable file than a moment ago");
                await PutAsync(key, bytes, Immutable, ct).ConfigureAwait(false);
                progress?.Report(new MirrorProgress("copy", Interlocked.Increment(ref done), toCopy));
            }).ConfigureAwait(false);
            // Payload files after everything they point at; tombstones replace the local openings here.
            await Parallel.ForEachAsync(payloadUpdates, Options(cancellationToken), async (update, ct) =>
            {
                var bytes = update.Value ?? await ReadVerifiedPayloadAsync(update.Key, ct).ConfigureAwait(false);
                await PutAsync(update.Key, bytes, Mutable, ct).ConfigureAwait(false);
                progress?.Report(new MirrorProgress("copy", Interlocked.Increment(ref done), toCopy));
            }).ConfigureAwait(false);
            foreach (var key in log.ErasedBlobKeys.Distinct())
            {
                if (await destination.HeadAsync(key, cancellationToken).ConfigureAwait(false) is null) continue;
                await destination.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                _removed++;
            }
            var current = await existing.TryReadAllAsync(CheckpointReader.Key, LogLimits.MaxCheckpointBytes, cancellationToken).ConfigureAwait(false);
            if (current is null || !current.AsSpan().SequenceEqual(log.Checkpoint.Span))
                await PutAsync(CheckpointReader.Key, log.Checkpoint.ToArray(), CheckpointMetadata, cancellationToken).ConfigureAwait(false);
            progress?.Report(new MirrorProgress("copy", toCopy, toCopy));
        }

        /// <summary>
        /// The payload files to write, with the verified bytes to write. A file the mirror already has may only
        /// have grown or turned openings into tombstones; any other change stops the run before anything is written.
        /// </summary>
        private async Task<System.Collections.Concurrent.ConcurrentDictionary<string, byte[]?>> ComparePayloadsAsync(List<string> keys, CancellationToken cancellationToken)
        {
            var updates = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]?>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(keys, Options(cancellationToken), async (key, ct) =>
            {
                var present = await existing.TryReadAllAsync(key, LogLimits.MaxPayloadFileBytes, ct).ConfigureAwait(false);
                if (present is not null && Digests.Sha256(present).AsSpan().SequenceEqual(log.FileDigests[key]))
                {
                    Interlocked.Increment(ref _present);
                    return;
                }
                if (present is null)
                {
                    updates[key] = null; // read when copying: a fresh mirror need not hold every payload file in memory
                    return;
                }
                var verified = await ReadVerifiedPayloadAsync(key, ct).ConfigureAwait(false);
                if (PayloadChange.Check(present, Domain.Payloads.PayloadFile.Parse(verified)) is { } problem)
                    throw new SplitViewException(key, null, $"{problem}; nothing was written");
                updates[key] = verified;
            }).ConfigureAwait(false);
            return updates;
        }

        private async Task<byte[]> ReadVerifiedPayloadAsync(string key, CancellationToken cancellationToken)
        {
            // A live log keeps growing its last payload file: use the bytes that were verified.
            if (log.LastPayloadFile is { } last && last.Key == key) return last.Bytes;
            var bytes = await source.TryReadAllAsync(key, LogLimits.MaxPayloadFileBytes, cancellationToken).ConfigureAwait(false)
                ?? throw new LogVerificationException(key, null, "disappeared from the source after it was verified");
            if (!Digests.Sha256(bytes).AsSpan().SequenceEqual(log.FileDigests[key]))
                throw new LogVerificationException(key, null, "changed at the source while mirroring (an erasure?); run the mirror again");
            return bytes;
        }

        private async Task CopyBlobAsync(BlobReference blob, CancellationToken cancellationToken)
        {
            var input = await source.TryOpenReadAsync(blob.Key, cancellationToken).ConfigureAwait(false)
                ?? throw new LogVerificationException(blob.Key, null, "disappeared from the source after it was verified");
            await using (input.ConfigureAwait(false))
            {
                // Nothing is visible at the destination unless the streamed bytes open the commitment.
                await using var output = await destination.OpenWriteAsync(blob.Key, Immutable, cancellationToken).ConfigureAwait(false);
                var tee = new TeeReadStream(input, output);
                if (await BlobCheck.CheckAsync(tee, blob, _ => { }, cancellationToken).ConfigureAwait(false) is { } problem)
                    throw new SplitViewException(blob.Key, null, $"the source served a different blob than a moment ago ({problem})");
                await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _bytes, (long)blob.Size);
                Interlocked.Increment(ref _copied);
            }
        }

        private async Task PutAsync(string key, byte[] bytes, ObjectMetadata metadata, CancellationToken cancellationToken)
        {
            await destination.PutBytesAsync(key, bytes, metadata, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytes, bytes.Length);
            Interlocked.Increment(ref _copied);
        }

        private static ParallelOptions Options(CancellationToken cancellationToken) =>
            new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
    }
}
