namespace Stele.Crypto.Blake3.Internal;

/// <summary>Opt-in multi-threading: several aligned subtrees hashed at once on the thread pool.</summary>
internal static class ParallelSubtrees
{
    private const int SubtreeChunks = Subtree.MaxChunks;
    private const int MaxBatch = 64;

    public static bool Worthwhile(ulong counter, int availableChunks) =>
        Environment.ProcessorCount > 1 && counter % SubtreeChunks == 0 && availableChunks >= 2 * SubtreeChunks;

    /// <summary>Hashes a batch of subtrees in parallel, pushes them in order; returns chunks consumed.</summary>
    public static unsafe int Hash(ReadOnlySpan<byte> input, int availableChunks, Words8 key, ulong counter, uint flags,
        SimdLevel level, ref HasherCore core)
    {
        var count = Math.Min(availableChunks / SubtreeChunks, MaxBatch);
        var halves = new Words8[2 * count];
        fixed (byte* start = input)
        {
            var address = (nint)start;
            Parallel.For(0, count, i =>
            {
                var span = new ReadOnlySpan<byte>((byte*)address + (nint)i * SubtreeChunks * Constants.ChunkLength,
                    SubtreeChunks * Constants.ChunkLength);
                Subtree.CompressToChildren(span, SubtreeChunks, key, counter + (ulong)(i * SubtreeChunks), flags, level,
                    out halves[2 * i], out halves[2 * i + 1]);
            });
        }
        for (var i = 0; i < count; i++)
            core.PushChildren(halves[2 * i], halves[2 * i + 1], counter + (ulong)(i * SubtreeChunks));
        Array.Clear(halves);
        return count * SubtreeChunks;
    }
}
