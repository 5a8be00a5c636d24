namespace Stele.Crypto.Blake3.Internal;

/// <summary>Chaining value of a complete subtree of 2^k chunks: chunks and parents level by level, all wide.</summary>
internal static class Subtree
{
    /// <summary>Largest subtree hashed in one go (its chaining values live on the stack).</summary>
    public const int MaxChunks = 512;

    public static Words8 Compress(ReadOnlySpan<byte> input, int chunks, in Words8 key, ulong counter, uint flags, SimdLevel level)
    {
        if (chunks < 1 || chunks > MaxChunks || (chunks & (chunks - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(chunks), "A subtree is a power of two chunks.");
        Span<byte> cvs = stackalloc byte[chunks * Constants.OutLength];
        HashMany.Hash(input, chunks, Constants.BlocksPerChunk, key, counter, incrementCounter: true,
            flags, Constants.ChunkStart, Constants.ChunkEnd, cvs, level);
        // Each level halves the count; parents are compressed in place over their children.
        for (var n = chunks; n > 1; n /= 2)
            HashMany.Hash(cvs, n / 2, 1, key, 0, incrementCounter: false, flags | Constants.Parent, 0, 0, cvs, level);
        var cv = HashMany.ReadCv(cvs);
        cvs.Clear();
        return cv;
    }
}
