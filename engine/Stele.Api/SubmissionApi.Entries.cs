using Microsoft.AspNetCore.Http;
using Stele.Domain.Events;
using Stele.Domain.Signing;

namespace Stele.Api;

public sealed partial class SubmissionApi
{
    /// <summary>
    /// POST /v1/entries: headers first (client, signature, sequence, size), then the body,
    /// streamed once while the commitment is recomputed; then one transaction.
    /// </summary>
    public async Task<IResult> SubmitEntryAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var headers = SubmissionHeaders.Parse(http.Request, Options.MaxEntrySize);
        var wait = RequestedWait(http.Request);
        var descriptor = headers.Descriptor;
        var key = await _clients.FindAsync(descriptor.Client, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiError(StatusCodes.Status403Forbidden, "unknown_client", $"client {descriptor.Client} is not registered on this board (or its registration is not folded yet)");
        if (!key.Verify(SigningMessages.Entry(Origin, descriptor), headers.Signature))
            throw new ApiError(StatusCodes.Status403Forbidden, "bad_signature", $"the signature does not verify for client {descriptor.Client} over this entry on {Origin}");
        if (!await _sequences.IsFreshAsync(descriptor.Client, descriptor.Sequence, cancellationToken).ConfigureAwait(false))
            throw new ApiError(StatusCodes.Status409Conflict, "replayed_sequence", $"sequence {descriptor.Sequence} of client {descriptor.Client} is not above the last one this board accepted");

        LimitBody(http, Math.Max(1, (long)descriptor.Size));
        var opening = await _intake.ReceiveAsync(http.Request.Body, descriptor, headers.Salt, cancellationToken).ConfigureAwait(false);
        try
        {
            var facts = new EntryFacts(descriptor.Client.Value, descriptor.Sequence, Bytes(descriptor.Commitment), descriptor.Size, descriptor.MediaType.Value);
            var @event = new EntrySubmitted(facts, headers.Signature.ToArray(), DateTimeOffset.UtcNow);
            await _store.CommitAsync(descriptor.Client, descriptor.Sequence, descriptor.Sequence, @event, [opening], packed: false, cancellationToken).ConfigureAwait(false);
            _sequences.Accepted(descriptor.Client, descriptor.Sequence);
        }
        catch
        {
            await DiscardBlobAsync(opening).ConfigureAwait(false);
            throw;
        }

        var url = InclusionTracker.StatusUrl(descriptor.Client, descriptor.Sequence);
        http.Response.Headers.Location = url;
        if (wait is { } timeout)
        {
            var status = await _inclusion.WaitAsync(descriptor.Client, descriptor.Sequence, timeout, cancellationToken).ConfigureAwait(false);
            if (status is { Status: "included" }) return Results.Json(status, ApiJson.Default.EntryStatusResponse, statusCode: StatusCodes.Status201Created);
            if (status is not null) return Results.Json(status, ApiJson.Default.EntryStatusResponse, statusCode: StatusCodes.Status202Accepted);
        }
        var receipt = new EntryStatusResponse(descriptor.Client.ToString(), descriptor.Sequence, "pending", null, null, null, null, url);
        return Results.Json(receipt, ApiJson.Default.EntryStatusResponse, statusCode: StatusCodes.Status202Accepted);
    }
}
