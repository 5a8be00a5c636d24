using System.Buffers;
using System.Globalization;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Records;
using Stele.Domain.Signing;
using Stele.Tlog;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Proofs;

namespace Stele.Client;

public sealed partial class SteleClient
{
    private const int CopyBufferSize = 256 * 1024;

    /// <summary>Submits a small or in-memory content.</summary>
    public async Task<SubmissionResult> SubmitAsync(ClientKeys keys, ReadOnlyMemory<byte> content, MediaType mediaType, SubmitOptions? options = null, CancellationToken cancellationToken = default)
    {
        var salt = Salt.NewRandom();
        var commitment = Commitment.Compute(salt, content.Span);
        var body = new ReadOnlyMemoryContent(content);
        return await PostEntryAsync(keys, salt, commitment, (ulong)content.Length, mediaType, body, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Submits a content of any size from a stream, never holding it in memory: a seekable stream
    /// is read twice (hash, then upload from the same position); any other is spooled to a
    /// temporary file while hashing.
    /// </summary>
    public async Task<SubmissionResult> SubmitAsync(ClientKeys keys, Stream content, MediaType mediaType, SubmitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var salt = Salt.NewRandom();
        var progress = options?.Progress;
        if (content.CanSeek)
        {
            var start = content.Position;
            var total = (ulong)Math.Max(0, content.Length - start);
            var (commitment, size) = await HashAsync(content, salt, null, Reporter(progress, SubmitPhase.Hashing, total), cancellationToken).ConfigureAwait(false);
            content.Position = start;
            var body = new StreamContent(new LengthLimitedStream(content, size, Reporter(progress, SubmitPhase.Uploading, size)), CopyBufferSize);
            return await PostEntryAsync(keys, salt, commitment, size, mediaType, body, options, cancellationToken).ConfigureAwait(false);
        }
        var spool = Path.Combine(Path.GetTempPath(), $"stele-submit-{Guid.NewGuid():N}");
        var spoolOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows()) spoolOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var file = new FileStream(spool, spoolOptions);
        var (spooledCommitment, spooledSize) = await HashAsync(content, salt, file, Reporter(progress, SubmitPhase.Hashing, null), cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        var spooled = new StreamContent(new LengthLimitedStream(file, spooledSize, Reporter(progress, SubmitPhase.Uploading, spooledSize)), CopyBufferSize);
        return await PostEntryAsync(keys, salt, spooledCommitment, spooledSize, mediaType, spooled, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Submits a file's content (hashed, then streamed).</summary>
    public async Task<SubmissionResult> SubmitFileAsync(ClientKeys keys, string path, MediaType mediaType, SubmitOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await SubmitAsync(keys, file, mediaType, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Posts many small entries under ONE Ed25519 signature over the batch root. Sequences come
    /// from the key's counter (one reservation for the whole batch).
    /// </summary>
    public async Task<BatchResult> SubmitBatchAsync(ClientKeys keys, IReadOnlyList<BatchItem> items, TimeSpan? waitForInclusion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count is 0 or > BatchTree.MaxEntries) throw new ArgumentException($"a batch has 1 to {BatchTree.MaxEntries} entries", nameof(items));
        var first = keys.Sequences.Reserve(items.Count);
        var descriptors = new EntryDescriptor[items.Count];
        var wire = new BinaryBatchEntry[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var salt = Salt.NewRandom();
            var sequence = first + (ulong)i;
            descriptors[i] = new EntryDescriptor(keys.Client, sequence, Commitment.Compute(salt, items[i].Content.Span), (ulong)items[i].Content.Length, items[i].MediaType);
            wire[i] = new BinaryBatchEntry(sequence, salt.AsSpan().ToArray(), items[i].MediaType, items[i].Content);
        }
        var root = BatchTree.Build(descriptors).Root; // sequences ascend, so this is canonical order
        var signature = keys.SignEd25519(SigningMessages.Batch(Origin, keys.Client, root, descriptors.Length));
        var path = "v1/batches" + WaitQuery(waitForInclusion);
        var body = new ByteArrayContent(BinaryBatch.Encode(keys.Client, signature.AsSpan(), wire));
        body.Headers.TryAddWithoutValidation("Content-Type", BinaryBatch.ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        var response = await SendAsync(request, WireJson.Default.WireBatchResponse, cancellationToken).ConfigureAwait(false);
        if (response.Root != root.ToString()) throw new SteleApiException(200, "bad_response", $"the server computed batch root {response.Root}, not {root}");
        var results = new SubmissionResult[descriptors.Length];
        var deadline = DateTime.UtcNow + (waitForInclusion ?? TimeSpan.Zero);
        var checkpoints = new Dictionary<string, VerifiedCheckpoint>(StringComparer.Ordinal); // one signature check per distinct checkpoint
        var answers = new Dictionary<ulong, WireEntryStatus>(response.Entries.Length);
        foreach (var answer in response.Entries) answers.TryAdd(answer.Sequence, answer);
        for (var i = 0; i < descriptors.Length; i++)
        {
            var record = new BatchedEntryRecord(descriptors[i], root, (uint)i);
            var status = answers.GetValueOrDefault(descriptors[i].Sequence)
                ?? throw new SteleApiException(200, "bad_response", $"the server's answer lacks sequence {descriptors[i].Sequence}");
            results[i] = await FinishAsync(descriptors[i], record, status, waitForInclusion is null ? null : deadline, cancellationToken, checkpoints).ConfigureAwait(false);
        }
        return new BatchResult(root, results);
    }

    /// <summary>Polls until <paramref name="submitted"/> is included, then verifies the proof; null on timeout.</summary>
    public async Task<IncludedEntry?> WaitForInclusionAsync(SubmissionResult submitted, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        if (submitted.Included is not null) return submitted.Included;
        var wire = await SendAsync(new HttpRequestMessage(HttpMethod.Get, StatusPath(submitted.Descriptor.Client, submitted.Descriptor.Sequence)), WireJson.Default.WireEntryStatus, cancellationToken).ConfigureAwait(false);
        var result = await FinishAsync(submitted.Descriptor, submitted.Record, wire, DateTime.UtcNow + timeout, cancellationToken).ConfigureAwait(false);
        return result.Included;
    }

    private async Task<SubmissionResult> PostEntryAsync(
        ClientKeys keys, Salt salt, Commitment commitment, ulong size, MediaType mediaType, HttpContent body, SubmitOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(mediaType);
        options ??= new SubmitOptions();
        if (options.WaitForInclusion is not null && _trusted is null)
            throw new InvalidOperationException("waiting for inclusion needs the log's verifier key: pass trustedLog to SteleClient");
        var sequence = options.Sequence ?? keys.Sequences.Reserve();
        var descriptor = new EntryDescriptor(keys.Client, sequence, commitment, size, mediaType);
        var signature = keys.SignEd25519(SigningMessages.Entry(Origin, descriptor));

        body.Headers.ContentLength = checked((long)size);
        body.Headers.TryAddWithoutValidation("Content-Type", mediaType.Value);
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/entries" + WaitQuery(options.WaitForInclusion)) { Content = body };
        request.Headers.Add("Stele-Client", keys.Client.ToString());
        request.Headers.Add("Stele-Sequence", sequence.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Stele-Commitment", commitment.ToString());
        request.Headers.Add("Stele-Salt", Convert.ToHexStringLower(salt.AsSpan()));
        request.Headers.Add("Stele-Signature", signature.ToString());
        var deadline = DateTime.UtcNow + (options.WaitForInclusion ?? TimeSpan.Zero);
        var status = await SendAsync(request, WireJson.Default.WireEntryStatus, cancellationToken).ConfigureAwait(false);
        return await FinishAsync(descriptor, new EntryRecord(descriptor, signature), status, options.WaitForInclusion is null ? null : deadline, cancellationToken).ConfigureAwait(false);
    }

    // If the server's own wait ended first (it caps waits), asks again with the time left: the server
    // answers when the publisher includes the entry, so there is no polling loop here.
    private async Task<SubmissionResult> FinishAsync(
        EntryDescriptor descriptor, LeafRecord record, WireEntryStatus status, DateTime? deadline, CancellationToken cancellationToken,
        Dictionary<string, VerifiedCheckpoint>? checkpoints = null)
    {
        while (deadline is { } until && status.Status is "pending" or "sequenced" && until - DateTime.UtcNow is { } left && left > TimeSpan.Zero)
        {
            var path = StatusPath(descriptor.Client, descriptor.Sequence) + WaitQuery(left);
            status = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), WireJson.Default.WireEntryStatus, cancellationToken).ConfigureAwait(false);
        }
        var included = status.Status == "included" && deadline is not null ? Verify(record, status, checkpoints) : null;
        return new SubmissionResult(descriptor, record, ToStatus(status), included);
    }

    /// <summary>Checks the checkpoint's signature with the trusted key and the record's inclusion proof against its root.</summary>
    private IncludedEntry Verify(LeafRecord record, WireEntryStatus status, Dictionary<string, VerifiedCheckpoint>? checkpoints)
    {
        if (_trusted is null) throw new InvalidOperationException("verifying inclusion needs the log's verifier key");
        if (status.LeafIndex is not { } leaf || status.Checkpoint is null || status.InclusionProof is null)
            throw new SteleApiException(200, "bad_response", "the server said 'included' without a leaf index, checkpoint and proof");
        VerifiedCheckpoint? checkpoint = null;
        try
        {
            if (checkpoints is null || !checkpoints.TryGetValue(status.Checkpoint, out checkpoint))
            {
                checkpoint = UnverifiedCheckpoint.Parse(status.Checkpoint).Verify(_trusted);
                checkpoints?.Add(status.Checkpoint, checkpoint);
            }
        }
        catch (Exception ex) when (ex is FormatException or Stele.Tlog.Notes.NoteVerificationException)
        {
            throw new SteleApiException(200, "bad_checkpoint", $"the server's checkpoint does not verify with the trusted key {TrustedLog}: {ex.Message}");
        }
        Hash[] proof;
        try
        {
            proof = [.. status.InclusionProof.Select(Hash.FromBase64)];
        }
        catch (FormatException ex)
        {
            throw new SteleApiException(200, "bad_proof", $"the inclusion proof is malformed: {ex.Message}");
        }
        var check = MerkleVerifier.CheckInclusion(new LeafIndex(leaf), checkpoint.Size, Rfc6962.HashLeaf(record.ToBytes()), proof, checkpoint.Root);
        if (!check.IsValid) throw new SteleApiException(200, "bad_proof", $"the inclusion proof of leaf {leaf} does not verify: {check.Failure}");
        return new IncludedEntry(new LeafIndex(leaf), record, checkpoint, proof);
    }

    // One request waits at most a little less than the HttpClient's own timeout; a longer wait is
    // continued by asking the status URL again (see FinishAsync).
    private string WaitQuery(TimeSpan? wait)
    {
        if (wait is not { } w) return "";
        var limit = _http.Timeout == Timeout.InfiniteTimeSpan ? w : _http.Timeout * 0.9 - TimeSpan.FromSeconds(1);
        var seconds = Math.Max(0, Math.Min(w.TotalSeconds, limit.TotalSeconds));
        return "?wait=" + seconds.ToString("0.###", CultureInfo.InvariantCulture);
    }

    private static Action<ulong>? Reporter(IProgress<SubmitProgress>? progress, SubmitPhase phase, ulong? total) =>
        progress is null ? null : done => progress.Report(new SubmitProgress(phase, done, total));

    private static async Task<(Commitment, ulong)> HashAsync(Stream content, Salt salt, Stream? copy, Action<ulong>? hashed, CancellationToken cancellationToken)
    {
        using var hasher = Commitment.StartHashing(salt);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        ulong size = 0;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Update(buffer.AsSpan(0, read));
                if (copy is not null) await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                size += (ulong)read;
                hashed?.Invoke(size);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (Commitment.FromHasher(hasher), size);
    }
}
