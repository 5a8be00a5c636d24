using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>Sixteen lanes in one AVX-512 register.</summary>
internal readonly partial struct Vector512Ops : IWideLaneOps<Vector512<uint>>
{
    public static bool IsSupported => Avx512F.IsSupported;

    public static int Lanes => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Add(Vector512<uint> a, Vector512<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Xor(Vector512<uint> a, Vector512<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateRight16(Vector512<uint> v) => Avx512F.RotateRight(v, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateRight12(Vector512<uint> v) => Avx512F.RotateRight(v, 12);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateRight8(Vector512<uint> v) => Avx512F.RotateRight(v, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateRight7(Vector512<uint> v) => Avx512F.RotateRight(v, 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Broadcast(uint value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Load(ref uint source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<uint> value, ref uint destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadTransposed(ref byte firstLane, nint stride, ref Vector512<uint> message)
    {
        // A 16x16 transpose of words. Per group of four lanes, interleaving 32- then 64-bit
        // elements leaves, in 128-bit slice k of w_m, word 4k+m of those four lanes.
        Interleave4(ref firstLane, stride, 0, out var a0, out var a1, out var a2, out var a3);
        Interleave4(ref firstLane, stride, 4, out var b0, out var b1, out var b2, out var b3);
        Interleave4(ref firstLane, stride, 8, out var c0, out var c1, out var c2, out var c3);
        Interleave4(ref firstLane, stride, 12, out var d0, out var d1, out var d2, out var d3);

        // Then a 4x4 transpose of 128-bit slices gathers word 4k+m of all sixteen lanes.
        TransposeSlices(a0, b0, c0, d0, ref message, 0);
        TransposeSlices(a1, b1, c1, d1, ref message, 1);
        TransposeSlices(a2, b2, c2, d2, ref message, 2);
        TransposeSlices(a3, b3, c3, d3, ref message, 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave4(ref byte firstLane, nint stride, int lane,
        out Vector512<uint> w0, out Vector512<uint> w1, out Vector512<uint> w2, out Vector512<uint> w3)
    {
        var a = Row(ref firstLane, stride * lane);
        var b = Row(ref firstLane, stride * (lane + 1));
        var c = Row(ref firstLane, stride * (lane + 2));
        var d = Row(ref firstLane, stride * (lane + 3));
        var ab0 = Avx512F.UnpackLow(a, b).AsUInt64();
        var ab1 = Avx512F.UnpackHigh(a, b).AsUInt64();
        var cd0 = Avx512F.UnpackLow(c, d).AsUInt64();
        var cd1 = Avx512F.UnpackHigh(c, d).AsUInt64();
        w0 = Avx512F.UnpackLow(ab0, cd0).AsUInt32();
        w1 = Avx512F.UnpackHigh(ab0, cd0).AsUInt32();
        w2 = Avx512F.UnpackLow(ab1, cd1).AsUInt32();
        w3 = Avx512F.UnpackHigh(ab1, cd1).AsUInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<uint> Row(ref byte firstLane, nint offset)
    {
        ref var row = ref Unsafe.Add(ref firstLane, offset);
        // Sixteen streams 1 KiB apart are more than the hardware prefetcher follows well: ask
        // for each lane's block four blocks ahead (past the end it is only an ignored hint).
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref row, 4 * Constants.BlockLength)));
        return Vector512.LoadUnsafe(ref Unsafe.As<byte, uint>(ref row));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeSlices(Vector512<uint> p0, Vector512<uint> p1, Vector512<uint> p2, Vector512<uint> p3,
        ref Vector512<uint> message, int m)
    {
        const byte EvenSlices = 0b10_00_10_00; // slices 0 and 2 of each source
        const byte OddSlices = 0b11_01_11_01;  // slices 1 and 3 of each source
        var x0 = Avx512F.Shuffle4x128(p0, p1, EvenSlices);
        var x1 = Avx512F.Shuffle4x128(p0, p1, OddSlices);
        var x2 = Avx512F.Shuffle4x128(p2, p3, EvenSlices);
        var x3 = Avx512F.Shuffle4x128(p2, p3, OddSlices);
        Unsafe.Add(ref message, m) = Avx512F.Shuffle4x128(x0, x2, EvenSlices);
        Unsafe.Add(ref message, 4 + m) = Avx512F.Shuffle4x128(x1, x3, EvenSlices);
        Unsafe.Add(ref message, 8 + m) = Avx512F.Shuffle4x128(x0, x2, OddSlices);
        Unsafe.Add(ref message, 12 + m) = Avx512F.Shuffle4x128(x1, x3, OddSlices);
    }
}
