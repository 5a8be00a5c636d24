using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// One block compressed with the state as four 4-word rows: the four column G functions run
/// as one, then the diagonals after rotating rows into place. Each round's message words come
/// from a single AVX-512 permute. About three times fewer instructions than the scalar form
/// (which has to spill: 16 state words and 16 message words do not fit in 16 registers);
/// this serves chunk tails, parents outside the wide kernels and root output.
/// </summary>
internal static class RowCompressor
{
    public static bool IsSupported => Avx512F.VL.IsSupported && BitConverter.IsLittleEndian;

    // Not inlined: each entry point is its own root so the JIT's inline budget covers all
    // seven rounds (inlined into deep callers, the budget ran out and rounds became calls).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CompressInPlace(ref Words8 cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
        ref var cvWords = ref cv[0];
        var first = Vector128.LoadUnsafe(ref cvWords);
        var second = Vector128.LoadUnsafe(ref Unsafe.Add(ref cvWords, 4));
        Rounds(first, second, block, counter, blockLength, flags, out var r0, out var r1, out var r2, out var r3);
        (r0 ^ r2).StoreUnsafe(ref cvWords);
        (r1 ^ r3).StoreUnsafe(ref Unsafe.Add(ref cvWords, 4));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CompressXof(in Words8 cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, ref Words16 output)
    {
        var first = Vector128.LoadUnsafe(in cv[0]);
        var second = Vector128.LoadUnsafe(in cv[4]);
        Rounds(first, second, block, counter, blockLength, flags, out var r0, out var r1, out var r2, out var r3);
        ref var outWords = ref output[0];
        (r0 ^ r2).StoreUnsafe(ref outWords);
        (r1 ^ r3).StoreUnsafe(ref Unsafe.Add(ref outWords, 4));
        (r2 ^ first).StoreUnsafe(ref Unsafe.Add(ref outWords, 8));
        (r3 ^ second).StoreUnsafe(ref Unsafe.Add(ref outWords, 12));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds(Vector128<uint> first, Vector128<uint> second, ReadOnlySpan<byte> block, ulong counter,
        uint blockLength, uint flags,
        out Vector128<uint> r0, out Vector128<uint> r1, out Vector128<uint> r2, out Vector128<uint> r3)
    {
        var m = Vector512.LoadUnsafe(ref Unsafe.As<byte, uint>(ref MemoryMarshal.GetReference(block)));
        r0 = first;
        r1 = second;
        r2 = Vector128.Create(Constants.IV0, Constants.IV1, Constants.IV2, Constants.IV3);
        r3 = Vector128.Create((uint)counter, (uint)(counter >> 32), blockLength, flags);
        // Each index vector lists the round's words as: column x's, column y's, diagonal x's, diagonal y's.
        Round(ref r0, ref r1, ref r2, ref r3, m, Vector512.Create(0u, 2, 4, 6, 1, 3, 5, 7, 8, 10, 12, 14, 9, 11, 13, 15));
        Round(ref r0, ref r1, ref r2, ref r3, m, Vector512.Create(2u, 3, 7, 4, 6, 10, 0, 13, 1, 12, 9, 15, 11, 5, 14, 8));
        Round(ref r0, ref r1, ref r2, ref r3, m, Vector512.Create(3u, 10, 13, 7, 4, 12, 2, 14, 6, 9, 11, 8, 5, 0, 15, 1));
        Round(ref r0, ref r1, ref r2, ref r3, m, Vector512.Create(10u, 12, 14, 13, 7, 9, 3, 15, 4, 11, 5, 1, 0, 2, 8, 6));
        Round(ref r0, ref r1, ref r2, ref r3, m, Vector512.Create(12u, 9, 15, 14, 13, 11, 10, 8, 7, 5, 0, 6, 2, 3, 1, 4));
        Round(ref r0, ref r1, ref r2, ref r3, m, Vector512.Create(9u, 11, 8, 15, 14, 5, 12, 1, 13, 0, 2, 4, 3, 10, 6, 7));
        Round(ref r0, ref r1, ref r2, ref r3, m, Vector512.Create(11u, 5, 1, 8, 15, 0, 9, 6, 14, 2, 3, 7, 10, 12, 4, 13));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector128<uint> r0, ref Vector128<uint> r1, ref Vector128<uint> r2, ref Vector128<uint> r3,
        Vector512<uint> m, Vector512<uint> order)
    {
        var words = Avx512F.PermuteVar16x32(m, order);
        G(ref r0, ref r1, ref r2, ref r3, words.GetLower().GetLower(), Avx512F.ExtractVector128(words, 1));
        // Rotate rows 1-3 by 1, 2, 3 lanes so the diagonals line up as columns, and back after.
        r1 = Sse2.Shuffle(r1, 0b00_11_10_01);
        r2 = Sse2.Shuffle(r2, 0b01_00_11_10);
        r3 = Sse2.Shuffle(r3, 0b10_01_00_11);
        G(ref r0, ref r1, ref r2, ref r3, Avx512F.ExtractVector128(words, 2), Avx512F.ExtractVector128(words, 3));
        r1 = Sse2.Shuffle(r1, 0b10_01_00_11);
        r2 = Sse2.Shuffle(r2, 0b01_00_11_10);
        r3 = Sse2.Shuffle(r3, 0b00_11_10_01);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector128<uint> a, ref Vector128<uint> b, ref Vector128<uint> c, ref Vector128<uint> d,
        Vector128<uint> x, Vector128<uint> y)
    {
        a = a + b + x;
        d = Avx512F.VL.RotateRight(d ^ a, 16);
        c += d;
        b = Avx512F.VL.RotateRight(b ^ c, 12);
        a = a + b + y;
        d = Avx512F.VL.RotateRight(d ^ a, 8);
        c += d;
        b = Avx512F.VL.RotateRight(b ^ c, 7);
    }
}
