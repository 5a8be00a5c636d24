using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>Four lanes in one SSE register (SSSE3 byte shuffles, AVX-512VL rotations when present).</summary>
internal readonly partial struct Vector128Ops : IWideLaneOps<Vector128<uint>>
{
    public static bool IsSupported => Sse2.IsSupported;

    public static int Lanes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Add(Vector128<uint> a, Vector128<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Xor(Vector128<uint> a, Vector128<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateRight16(Vector128<uint> v)
    {
        if (Avx512F.VL.IsSupported) return Avx512F.VL.RotateRight(v, 16);
        if (Ssse3.IsSupported)
        {
            var mask = Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
            return Ssse3.Shuffle(v.AsByte(), mask).AsUInt32();
        }
        return Vector128.ShiftRightLogical(v, 16) | Vector128.ShiftLeft(v, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateRight12(Vector128<uint> v) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(v, 12) : Vector128.ShiftRightLogical(v, 12) | Vector128.ShiftLeft(v, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateRight8(Vector128<uint> v)
    {
        if (Avx512F.VL.IsSupported) return Avx512F.VL.RotateRight(v, 8);
        if (Ssse3.IsSupported)
        {
            var mask = Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
            return Ssse3.Shuffle(v.AsByte(), mask).AsUInt32();
        }
        return Vector128.ShiftRightLogical(v, 8) | Vector128.ShiftLeft(v, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateRight7(Vector128<uint> v) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(v, 7) : Vector128.ShiftRightLogical(v, 7) | Vector128.ShiftLeft(v, 25);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Broadcast(uint value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Load(ref uint source) => Vector128.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<uint> value, ref uint destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadTransposed(ref byte firstLane, nint stride, ref Vector128<uint> message)
    {
        // Each block is four registers wide: four 4x4 transposes.
        for (nint quarter = 0; quarter < 4; quarter++)
        {
            nint offset = quarter * 16;
            var a = Row(ref firstLane, offset);
            var b = Row(ref firstLane, stride + offset);
            var c = Row(ref firstLane, 2 * stride + offset);
            var d = Row(ref firstLane, 3 * stride + offset);
            var ab0 = Sse2.UnpackLow(a, b).AsUInt64();
            var ab1 = Sse2.UnpackHigh(a, b).AsUInt64();
            var cd0 = Sse2.UnpackLow(c, d).AsUInt64();
            var cd1 = Sse2.UnpackHigh(c, d).AsUInt64();
            ref var words = ref Unsafe.Add(ref message, quarter * 4);
            words = Sse2.UnpackLow(ab0, cd0).AsUInt32();
            Unsafe.Add(ref words, 1) = Sse2.UnpackHigh(ab0, cd0).AsUInt32();
            Unsafe.Add(ref words, 2) = Sse2.UnpackLow(ab1, cd1).AsUInt32();
            Unsafe.Add(ref words, 3) = Sse2.UnpackHigh(ab1, cd1).AsUInt32();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Row(ref byte firstLane, nint offset) =>
        Vector128.LoadUnsafe(ref Unsafe.As<byte, uint>(ref Unsafe.Add(ref firstLane, offset)));
}
