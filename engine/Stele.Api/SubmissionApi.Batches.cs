using Microsoft.AspNetCore.Http;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Signing;

namespace Stele.Api;

public sealed partial class SubmissionApi
{
    /// <summary>
    /// POST /v1/batches: one client's small entries (each at most the inline limit) under ONE Ed25519
    /// signature over the batch message (root of the canonical batch tree). The body is JSON (contents
    /// base64) or, with Content-Type <see cref="BinaryBatch.ContentType"/>, the compact binary format.
    /// </summary>
    public async Task<IResult> SubmitBatchAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var wait = RequestedWait(http.Request);
        var (client, signature, descriptors, openings) = IsBinaryBatch(http.Request)
            ? await ReadBinaryBatchAsync(http, cancellationToken).ConfigureAwait(false)
            : await ReadJsonBatchAsync(http, cancellationToken).ConfigureAwait(false);

        var key = await _clients.FindAsync(client, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiError(StatusCodes.Status403Forbidden, "unknown_client", $"client {client} is not registered on this board (or its registration is not folded yet)");
        var root = BatchTree.Build(descriptors).Root;
        if (!key.Verify(SigningMessages.Batch(Origin, client, root, descriptors.Length), signature))
            throw new ApiError(StatusCodes.Status403Forbidden, "bad_signature", $"the signature does not verify for client {client} over this batch (root {root}, {descriptors.Length} entries) on {Origin}");

        var first = descriptors[0].Sequence;
        var last = descriptors[^1].Sequence;
        // As for single entries: a replay is named as such, before its openings collide with the stored ones.
        if (!await _sequences.IsFreshAsync(client, first, cancellationToken).ConfigureAwait(false))
            throw new ApiError(StatusCodes.Status409Conflict, "replayed_sequence", $"sequence {first} of client {client} is not above the last one this board accepted");
        var facts = descriptors.Select(d => new EntryFacts(d.Client.Value, d.Sequence, Bytes(d.Commitment), d.Size, d.MediaType.Value)).ToArray();
        var rootBytes = new byte[BatchRoot.Length];
        root.CopyTo(rootBytes);
        var @event = new BatchSubmitted(client.Value, rootBytes, signature.ToArray(), facts, DateTimeOffset.UtcNow);
        // Small contents (all of them, unless one is exactly 64 KiB) go into ONE packed row for the whole batch.
        var packed = openings.All(o => o.Size <= PackedOpenings.MaxContentLength);
        await _store.CommitAsync(client, first, last, @event, openings, packed, cancellationToken).ConfigureAwait(false);
        _sequences.Accepted(client, last);

        var code = StatusCodes.Status202Accepted;
        EntryStatusResponse[] statuses;
        if (wait is { } timeout)
        {
            statuses = await _inclusion.WaitForBatchAsync(client, [.. descriptors.Select(d => d.Sequence)], timeout, cancellationToken).ConfigureAwait(false);
            if (statuses.All(s => s.Status == "included")) code = StatusCodes.Status201Created;
        }
        else
        {
            statuses = [.. descriptors.Select(d => new EntryStatusResponse(client.ToString(), d.Sequence, "pending", null, null, null, null, InclusionTracker.StatusUrl(client, d.Sequence)))];
        }
        return Results.Json(new BatchResponse(client.ToString(), root.ToString(), descriptors.Length, statuses), ApiJson.Default.BatchResponse, statusCode: code);
    }

    private async Task<(ClientId, Ed25519Signature, EntryDescriptor[], Opening[])> ReadJsonBatchAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var request = await ReadJsonAsync(http, Options.MaxBatchBodySize, ApiJson.Default.BatchRequest, cancellationToken).ConfigureAwait(false);
        if (!SubmissionHeaders.TryParseClient(request.Client, out var client)) throw ApiError.Malformed("client must be 16 hex digits");
        var signature = Ed25519Signature.FromBytes(Hex.Decode(request.Signature, Ed25519Signature.Length, "signature"));
        if (request.Entries is not { Length: > 0 and <= BatchTree.MaxEntries } entries)
            throw ApiError.Malformed($"a batch has 1 to {BatchTree.MaxEntries} entries");

        var descriptors = new EntryDescriptor[entries.Length];
        var openings = new Opening[entries.Length];
        for (var i = 0; i < entries.Length; i++)
            (descriptors[i], openings[i]) = ParseBatchEntry(client, entries[i], i);
        // Canonical order is ascending sequence for one client; sort both arrays alike.
        var order = Enumerable.Range(0, entries.Length).OrderBy(i => descriptors[i].Sequence).ToArray();
        descriptors = [.. order.Select(i => descriptors[i])];
        openings = [.. order.Select(i => openings[i])];
        for (var i = 1; i < descriptors.Length; i++)
        {
            if (descriptors[i].Sequence == descriptors[i - 1].Sequence)
                throw ApiError.Malformed($"sequence {descriptors[i].Sequence} appears twice in the batch");
        }
        return (client, signature, descriptors, openings);
    }

    private static (EntryDescriptor, Opening) ParseBatchEntry(Stele.Domain.Identity.ClientId client, BatchEntryRequest? entry, int index)
    {
        if (entry is null) throw ApiError.Malformed($"entry {index} is null");
        var salt = Salt.FromBytes(Hex.Decode(entry.Salt, Salt.Length, $"entries[{index}].salt"));
        if (!MediaType.IsValid(entry.MediaType)) throw ApiError.Malformed($"entries[{index}].media_type is not a media type");
        byte[] content;
        try
        {
            content = Convert.FromBase64String(entry.Content ?? throw ApiError.Malformed($"entries[{index}].content is missing"));
        }
        catch (FormatException)
        {
            throw ApiError.Malformed($"entries[{index}].content is not base64");
        }
        if (content.Length > PayloadSlot.InlineLimit)
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, "too_large", $"entries[{index}] has {content.Length} bytes; batched entries are at most {PayloadSlot.InlineLimit} (post larger ones to /v1/entries)");
        var commitment = Commitment.Compute(salt, content);
        var descriptor = new EntryDescriptor(client, entry.Sequence, commitment, (ulong)content.Length, new MediaType(entry.MediaType!));
        return (descriptor, new Opening(commitment, salt, (ulong)content.Length, content, null));
    }
}
