using System.Buffers;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>Reads a stream in large buffers so whole subtrees are hashed wide between reads.</summary>
internal static class StreamHashing
{
    // A multiple of the widest subtree: only the chunk kept back at each buffer's end is hashed narrow.
    public const int BufferSize = 1 << 20;

    public static async Task FeedAsync(Blake3Hasher hasher, Stream stream, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            while (true)
            {
                var filled = await ReadFullAsync(stream, buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                if (filled == 0) break;
                hasher.Update(buffer.AsSpan(0, filled));
                total += filled;
                progress?.Report(total);
                if (filled < BufferSize) break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills the buffer unless the stream ends first (pipes return short reads).</summary>
    private static async Task<int> ReadFullAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }
}
