namespace Stele.Cli.Commands.Digest;

/// <summary>Writes reproducible pseudo-random test data: the same size always gives the same bytes.</summary>
internal static class DeterministicFile
{
    private const int BlockSize = 1 << 20;

    public static async Task WriteAsync(string path, long length, CancellationToken cancellationToken)
    {
        // One xorshift-filled MiB, stamped with its index so no two MiB of the file are equal.
        var pattern = new byte[BlockSize];
        ulong state = 0x9E3779B97F4A7C15;
        for (var i = 0; i < BlockSize; i += 8)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            BitConverter.TryWriteBytes(pattern.AsSpan(i), state);
        }
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        for (long offset = 0, index = 0; offset < length; offset += BlockSize, index++)
        {
            BitConverter.TryWriteBytes(pattern.AsSpan(0, 8), index);
            var take = (int)Math.Min(BlockSize, length - offset);
            await stream.WriteAsync(pattern.AsMemory(0, take), cancellationToken);
        }
    }
}
