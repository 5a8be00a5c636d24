using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// Compresses Lanes equal-length inputs side by side, one input per vector lane: whole chunks
/// (16 blocks each) or parent nodes (one block each). Inputs are contiguous in memory.
/// </summary>
internal static class HashManyKernel
{
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TV, TOps>(ref byte input, int blocks, in Words8 key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, ref byte output)
        where TV : struct
        where TOps : struct, IWideLaneOps<TV>
    {
        nint stride = blocks * Constants.BlockLength;
        Unsafe.SkipInit(out Lanes8<TV> cv);
        for (var i = 0; i < 8; i++) cv[i] = TOps.Broadcast(key[i]);

        // Lane j hashes input j: its counter is counter + j for chunks, the same for parents.
        Span<uint> counterWords = stackalloc uint[2 * TOps.Lanes];
        for (var j = 0; j < TOps.Lanes; j++)
        {
            var laneCounter = incrementCounter ? counter + (ulong)j : counter;
            counterWords[j] = (uint)laneCounter;
            counterWords[TOps.Lanes + j] = (uint)(laneCounter >> 32);
        }
        var counterLow = TOps.Load(ref counterWords[0]);
        var counterHigh = TOps.Load(ref counterWords[TOps.Lanes]);
        var blockLength = TOps.Broadcast(Constants.BlockLength);

        Unsafe.SkipInit(out Lanes16<TV> message);
        for (var b = 0; b < blocks; b++)
        {
            TOps.LoadTransposed(ref Unsafe.Add(ref input, b * Constants.BlockLength), stride, ref message[0]);
            var blockFlags = flags;
            if (b == 0) blockFlags |= flagsStart;
            if (b == blocks - 1) blockFlags |= flagsEnd;
            Compression.CompressInPlace<TV, TOps>(ref cv[0], ref message[0], counterLow, counterHigh, blockLength,
                TOps.Broadcast(blockFlags));
        }

        // Transpose back: lane j's eight words become its 32-byte chaining value.
        Span<uint> words = stackalloc uint[8 * TOps.Lanes];
        for (var i = 0; i < 8; i++) TOps.Store(cv[i], ref words[i * TOps.Lanes]);
        for (var j = 0; j < TOps.Lanes; j++)
        {
            ref var laneOut = ref Unsafe.Add(ref output, j * Constants.OutLength);
            for (var i = 0; i < 8; i++)
            {
                var word = words[i * TOps.Lanes + j];
                if (!BitConverter.IsLittleEndian) word = BinaryPrimitives.ReverseEndianness(word);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref laneOut, 4 * i), word);
            }
        }
    }
}
