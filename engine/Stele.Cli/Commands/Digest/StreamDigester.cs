using System.Buffers;
using System.Security.Cryptography;
using Stele.Crypto.Blake3;

namespace Stele.Cli.Commands.Digest;

/// <summary>Reads an input once, feeding BLAKE3 and, when asked, SHA-256 from the same bytes.</summary>
internal static class StreamDigester
{
    /// <summary>A file through a memory mapping (as b3sum does), or streamed if it cannot be mapped.</summary>
    public static async Task<(Blake3Hash Blake3, byte[]? Sha256)> DigestFileAsync(string path, bool sha256, bool multiThreaded,
        Action<long> progress, CancellationToken cancellationToken)
    {
        if (!MappedFile.CanMap(path))
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            return await DigestAsync(stream, sha256, multiThreaded, progress, cancellationToken);
        }
        using var blake3 = new Blake3Hasher { MultiThreaded = multiThreaded };
        using var sha = sha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        long done = 0;
        MappedFile.ForEachSlice(path, slice =>
        {
            blake3.Update(slice);
            sha?.AppendData(slice);
            done += slice.Length;
            progress(done);
        }, cancellationToken);
        return (blake3.Finalize(), sha?.GetHashAndReset());
    }

    // Whole 1 MiB reads keep BLAKE3 on its widest kernels between reads.
    private const int BufferSize = 1 << 20;

    public static async Task<(Blake3Hash Blake3, byte[]? Sha256)> DigestAsync(Stream stream, bool sha256, bool multiThreaded,
        Action<long> progress, CancellationToken cancellationToken)
    {
        using var blake3 = new Blake3Hasher { MultiThreaded = multiThreaded };
        using var sha = sha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            while (true)
            {
                var filled = await FillAsync(stream, buffer.AsMemory(0, BufferSize), cancellationToken);
                if (filled == 0) break;
                blake3.Update(buffer.AsSpan(0, filled));
                sha?.AppendData(buffer, 0, filled);
                total += filled;
                progress(total);
                if (filled < BufferSize) break;
            }
            return (blake3.Finalize(), sha?.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }
}
