using System.Buffers;

namespace Stele.Projections.Rebuild;

/// <summary>Compares two streams chunk by chunk through pooled buffers, never holding a whole object.</summary>
internal static class StreamComparison
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Whether the first <paramref name="length"/> bytes of both streams are equal (a stream ending early is not).</summary>
    public static async Task<bool> SamePrefixAsync(Stream a, Stream b, long length, CancellationToken ct)
    {
        var chunk = (int)Math.Min(ChunkBytes, Math.Max(1, length));
        var left = ArrayPool<byte>.Shared.Rent(chunk);
        var right = ArrayPool<byte>.Shared.Rent(chunk);
        try
        {
            for (var remaining = length; remaining > 0;)
            {
                var want = (int)Math.Min(chunk, remaining);
                var gotLeft = await a.ReadAtLeastAsync(left.AsMemory(0, want), want, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                var gotRight = await b.ReadAtLeastAsync(right.AsMemory(0, want), want, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                if (gotLeft != want || gotRight != want || !left.AsSpan(0, want).SequenceEqual(right.AsSpan(0, want))) return false;
                remaining -= want;
            }
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(left);
            ArrayPool<byte>.Shared.Return(right);
        }
    }
}
