using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;

namespace Stele.Api;

public sealed partial class SubmissionApi
{
    private static bool IsBinaryBatch(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) &&
        type.MediaType.Equals(BinaryBatch.ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A binary batch body (<see cref="BinaryBatch"/>): Content-Length required and at most the batch
    /// limit (413 before a byte is read), read whole into a pooled buffer, decoded, each commitment computed.
    /// </summary>
    private async Task<(ClientId, Ed25519Signature, EntryDescriptor[], Opening[])> ReadBinaryBatchAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var length = http.Request.ContentLength
            ?? throw new ApiError(StatusCodes.Status411LengthRequired, "length_required", "a binary batch needs a Content-Length");
        if (length > Options.MaxBatchBodySize)
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, "too_large", $"the body is {length} bytes; at most {Options.MaxBatchBodySize} are accepted here");
        LimitBody(http, Math.Max(1, length));
        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await ReadExactlyAsync(http.Request.Body, buffer.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
            var batch = Decode(buffer.AsMemory(0, (int)length));
            var descriptors = new EntryDescriptor[batch.Entries.Length];
            var openings = new Opening[batch.Entries.Length];
            for (var i = 0; i < descriptors.Length; i++)
            {
                var entry = batch.Entries[i];
                var salt = Salt.FromBytes(entry.Salt.Span);
                var commitment = Commitment.Compute(salt, entry.Content.Span);
                descriptors[i] = new EntryDescriptor(batch.Client, entry.Sequence, commitment, (ulong)entry.Content.Length, entry.MediaType);
                openings[i] = new Opening(commitment, salt, (ulong)entry.Content.Length, entry.Content.ToArray(), null);
            }
            return (batch.Client, Ed25519Signature.FromBytes(batch.Signature.Span), descriptors, openings);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DecodedBinaryBatch Decode(ReadOnlyMemory<byte> body)
    {
        try
        {
            return BinaryBatch.Decode(body);
        }
        catch (BinaryBatchFormatException ex)
        {
            throw ex.Problem switch
            {
                BinaryBatchProblem.TooLarge => new ApiError(StatusCodes.Status413PayloadTooLarge, "too_large", ex.Message),
                BinaryBatchProblem.Truncated => new ApiError(StatusCodes.Status400BadRequest, "truncated", ex.Message),
                BinaryBatchProblem.UnsupportedVersion => new ApiError(StatusCodes.Status400BadRequest, "unsupported_version", ex.Message),
                _ => ApiError.Malformed(ex.Message),
            };
        }
    }

    // A body that ends before its Content-Length is "truncated"; Kestrel reports it as a bad request.
    private static async Task ReadExactlyAsync(Stream body, Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            var read = await body.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < destination.Length)
                throw new ApiError(StatusCodes.Status400BadRequest, "truncated", $"the body ended after {read} of its {destination.Length} bytes");
        }
        catch (BadHttpRequestException ex)
        {
            throw new ApiError(ex.StatusCode, ex.StatusCode == 413 ? "too_large" : "truncated", $"the body could not be read: {ex.Message}");
        }
    }
}
