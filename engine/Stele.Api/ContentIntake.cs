using System.Buffers;
using Microsoft.AspNetCore.Http;
using Stele.Domain.Content;
using Stele.Domain.Payloads;
using Stele.Storage;

namespace Stele.Api;

/// <summary>
/// Reads an entry's body exactly once while recomputing its commitment. Small contents are held
/// in memory; larger ones stream to their blob key through a pooled buffer (memory bounded
/// whatever the size), and the blob is completed only when the commitment matches.
/// </summary>
internal sealed class ContentIntake(IObjectStore storage)
{
    private const int BufferSize = 256 * 1024;

    public static readonly ObjectMetadata BlobMetadata = new("application/octet-stream", "public, max-age=31536000, immutable");

    public async Task<Opening> ReceiveAsync(Stream body, EntryDescriptor descriptor, Salt salt, CancellationToken cancellationToken)
    {
        if (descriptor.Size <= PayloadSlot.InlineLimit)
        {
            var content = new byte[descriptor.Size];
            await ReadExactlyAsync(body, content, cancellationToken).ConfigureAwait(false);
            if (!Commitment.Compute(salt, content).Equals(descriptor.Commitment)) throw Mismatch();
            return new Opening(descriptor.Commitment, salt, descriptor.Size, content, null);
        }

        var key = BlobPayload.KeyFor(descriptor.Commitment);
        await using var blob = await storage.OpenWriteAsync(key, BlobMetadata, cancellationToken).ConfigureAwait(false);
        using var hasher = Commitment.StartHashing(salt);
        // Two buffers: while one is written to storage, the next is received and hashed, so the
        // write overlaps the hashing instead of following it (memory: two buffers, whatever the size).
        var buffers = new[] { ArrayPool<byte>.Shared.Rent(BufferSize), ArrayPool<byte>.Shared.Rent(BufferSize) };
        Task pendingWrite = Task.CompletedTask;
        try
        {
            var remaining = descriptor.Size;
            for (var turn = 0; remaining > 0; turn ^= 1)
            {
                var buffer = buffers[turn];
                var want = (int)Math.Min((ulong)BufferSize, remaining);
                var filled = 0;
                while (filled < want)
                {
                    var read = await ReadSomeAsync(body, buffer.AsMemory(filled, want - filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0) throw Truncated(descriptor.Size, descriptor.Size - remaining + (ulong)filled);
                    hasher.Update(buffer.AsSpan(filled, read));
                    filled += read;
                }
                await pendingWrite.ConfigureAwait(false); // the other buffer is free again
                pendingWrite = blob.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).AsTask();
                remaining -= (ulong)filled;
            }
            await pendingWrite.ConfigureAwait(false);
        }
        finally
        {
            // A failed read leaves a write in flight: let it end before its buffer goes back to the pool.
            await Task.WhenAny(pendingWrite).ConfigureAwait(false);
            foreach (var buffer in buffers) ArrayPool<byte>.Shared.Return(buffer);
        }
        if (!Commitment.FromHasher(hasher).Equals(descriptor.Commitment)) throw Mismatch(); // disposing aborts the blob
        await blob.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return new Opening(descriptor.Commitment, salt, descriptor.Size, null, key);
    }

    private static async Task ReadExactlyAsync(Stream body, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            var read = await ReadSomeAsync(body, destination[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0) throw Truncated((ulong)destination.Length, (ulong)filled);
            filled += read;
        }
    }

    // A client that hangs up mid-body surfaces as a Kestrel exception: it is a truncated body.
    private static async ValueTask<int> ReadSomeAsync(Stream body, Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, "truncated", $"the body ended before Content-Length: {ex.Message}");
        }
        catch (IOException ex)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, "truncated", $"the body ended before Content-Length: {ex.Message}");
        }
    }

    private static ApiError Truncated(ulong expected, ulong got) =>
        new(StatusCodes.Status400BadRequest, "truncated", $"the body has {got} bytes but Content-Length said {expected}");

    private static ApiError Mismatch() =>
        new(StatusCodes.Status400BadRequest, "commitment_mismatch", "the content does not match the commitment (BLAKE3 keyed by the salt)");
}
