using System.Runtime.CompilerServices;

namespace Stele.Crypto.Bls.Field;

internal partial struct Fp : IField<Fp>
{
    public static Fp FieldZero => default;
    public static Fp FieldOne => One;
    public static Fp CurveB => s_four;
    private static readonly Fp s_four = FromUInt64(4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FAdd(in Fp a, in Fp b, out Fp r) => Add(a, b, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FSub(in Fp a, in Fp b, out Fp r) => Sub(a, b, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FMul(in Fp a, in Fp b, out Fp r) => Mul(a, b, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FSquare(in Fp a, out Fp r) => Square(a, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FNeg(in Fp a, out Fp r) => Neg(a, out r);
    public static void FInverse(in Fp a, out Fp r) => Inverse(a, out r);
    public static void FInverseVartime(in Fp a, out Fp r) => InverseVartime(a, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong FIsZeroMask(in Fp a) => IsZeroMask(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong FEqualMask(in Fp a, in Fp b) => EqualMask(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FSelect(in Fp a, in Fp b, ulong mask, out Fp r) => Select(a, b, mask, out r);

    /// <summary>12·a with additions only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FMulBy3b(in Fp a, out Fp r)
    {
        Add(a, a, out var t2);
        Add(t2, a, out var t3);
        Add(t3, t3, out var t6);
        Add(t6, t6, out r);
    }
}
