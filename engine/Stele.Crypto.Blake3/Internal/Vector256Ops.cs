using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>Eight lanes in one AVX2 register (AVX-512VL rotations when present).</summary>
internal readonly partial struct Vector256Ops : IWideLaneOps<Vector256<uint>>
{
    public static bool IsSupported => Avx2.IsSupported;

    public static int Lanes => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Add(Vector256<uint> a, Vector256<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Xor(Vector256<uint> a, Vector256<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateRight16(Vector256<uint> v)
    {
        if (Avx512F.VL.IsSupported) return Avx512F.VL.RotateRight(v, 16);
        // Whole-byte rotations are one byte shuffle.
        var mask = Vector256.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
            2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        return Avx2.Shuffle(v.AsByte(), mask).AsUInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateRight12(Vector256<uint> v) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(v, 12) : Vector256.ShiftRightLogical(v, 12) | Vector256.ShiftLeft(v, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateRight8(Vector256<uint> v)
    {
        if (Avx512F.VL.IsSupported) return Avx512F.VL.RotateRight(v, 8);
        var mask = Vector256.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12,
            1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
        return Avx2.Shuffle(v.AsByte(), mask).AsUInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateRight7(Vector256<uint> v) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(v, 7) : Vector256.ShiftRightLogical(v, 7) | Vector256.ShiftLeft(v, 25);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Broadcast(uint value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Load(ref uint source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<uint> value, ref uint destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadTransposed(ref byte firstLane, nint stride, ref Vector256<uint> message)
    {
        // Each block is two registers wide: transpose words 0-7 and 8-15 as two 8x8 matrices.
        TransposeHalf(ref firstLane, stride, 0, ref message);
        TransposeHalf(ref firstLane, stride, 32, ref Unsafe.Add(ref message, 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeHalf(ref byte firstLane, nint stride, nint offset, ref Vector256<uint> message)
    {
        Interleave4(ref firstLane, stride, offset, 0, out var a0, out var a1, out var a2, out var a3);
        Interleave4(ref firstLane, stride, offset, 4, out var b0, out var b1, out var b2, out var b3);
        // Slice k of a_m holds word 4k+m of lanes 0-3, of b_m the same for lanes 4-7.
        message = Avx2.Permute2x128(a0, b0, 0x20);
        Unsafe.Add(ref message, 1) = Avx2.Permute2x128(a1, b1, 0x20);
        Unsafe.Add(ref message, 2) = Avx2.Permute2x128(a2, b2, 0x20);
        Unsafe.Add(ref message, 3) = Avx2.Permute2x128(a3, b3, 0x20);
        Unsafe.Add(ref message, 4) = Avx2.Permute2x128(a0, b0, 0x31);
        Unsafe.Add(ref message, 5) = Avx2.Permute2x128(a1, b1, 0x31);
        Unsafe.Add(ref message, 6) = Avx2.Permute2x128(a2, b2, 0x31);
        Unsafe.Add(ref message, 7) = Avx2.Permute2x128(a3, b3, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave4(ref byte firstLane, nint stride, nint offset, int lane,
        out Vector256<uint> w0, out Vector256<uint> w1, out Vector256<uint> w2, out Vector256<uint> w3)
    {
        var a = Row(ref firstLane, stride * lane + offset);
        var b = Row(ref firstLane, stride * (lane + 1) + offset);
        var c = Row(ref firstLane, stride * (lane + 2) + offset);
        var d = Row(ref firstLane, stride * (lane + 3) + offset);
        var ab0 = Avx2.UnpackLow(a, b).AsUInt64();
        var ab1 = Avx2.UnpackHigh(a, b).AsUInt64();
        var cd0 = Avx2.UnpackLow(c, d).AsUInt64();
        var cd1 = Avx2.UnpackHigh(c, d).AsUInt64();
        w0 = Avx2.UnpackLow(ab0, cd0).AsUInt32();
        w1 = Avx2.UnpackHigh(ab0, cd0).AsUInt32();
        w2 = Avx2.UnpackLow(ab1, cd1).AsUInt32();
        w3 = Avx2.UnpackHigh(ab1, cd1).AsUInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Row(ref byte firstLane, nint offset) =>
        Vector256.LoadUnsafe(ref Unsafe.As<byte, uint>(ref Unsafe.Add(ref firstLane, offset)));
}
