namespace Stele.Crypto.Blake3.Internal;

/// <summary>A complete subtree of 2^k chunks: chunks, then parents level by level, all wide.</summary>
internal static class Subtree
{
    /// <summary>Largest subtree hashed in one go (its chaining values live on the stack).</summary>
    public const int MaxChunks = 512;

    /// <summary>
    /// The chaining values of the subtree's two halves (two or more chunks). The subtree's own
    /// node is left uncompressed: it may turn out to be the root.
    /// </summary>
    public static void CompressToChildren(ReadOnlySpan<byte> input, int chunks, in Words8 key, ulong counter, uint flags,
        SimdLevel level, out Words8 left, out Words8 right)
    {
        if (chunks < 2 || chunks > MaxChunks || (chunks & (chunks - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(chunks), "A subtree here is a power of two chunks, at least two.");
        Span<byte> cvs = stackalloc byte[chunks * Constants.OutLength];
        HashMany.Hash(input, chunks, Constants.BlocksPerChunk, key, counter, incrementCounter: true,
            flags, Constants.ChunkStart, Constants.ChunkEnd, cvs, level);
        // Each level halves the count; parents are compressed in place over their children.
        for (var n = chunks; n > 2; n /= 2)
            HashMany.Hash(cvs, n / 2, 1, key, 0, incrementCounter: false, flags | Constants.Parent, 0, 0, cvs, level);
        left = HashMany.ReadCv(cvs);
        right = HashMany.ReadCv(cvs[Constants.OutLength..]);
    }

    /// <summary>The chaining value of one whole chunk (never the root: used only when other chunks exist).</summary>
    public static Words8 CompressChunk(ReadOnlySpan<byte> chunk, in Words8 key, ulong counter, uint flags, SimdLevel level)
    {
        Span<byte> cv = stackalloc byte[Constants.OutLength];
        HashMany.Hash(chunk, 1, Constants.BlocksPerChunk, key, counter, incrementCounter: true,
            flags, Constants.ChunkStart, Constants.ChunkEnd, cv, level);
        return HashMany.ReadCv(cv);
    }
}
