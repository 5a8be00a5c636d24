namespace Stele.Crypto.Bls.Field;

/// <summary>
/// The operations the curve code needs from a base field, so the same point arithmetic serves
/// G1 (over Fp) and G2 (over Fp2). The JIT specialises generic code per struct, so this costs nothing.
/// </summary>
internal interface IField<T> where T : struct, IField<T>
{
    static abstract T FieldZero { get; }
    static abstract T FieldOne { get; }
    static abstract void FAdd(in T a, in T b, out T r);
    static abstract void FSub(in T a, in T b, out T r);
    static abstract void FMul(in T a, in T b, out T r);
    static abstract void FSquare(in T a, out T r);
    static abstract void FNeg(in T a, out T r);
    static abstract void FInverse(in T a, out T r);
    /// <summary>Inverse for PUBLIC values only: variable time, several times faster.</summary>
    static abstract void FInverseVartime(in T a, out T r);
    static abstract ulong FIsZeroMask(in T a);
    static abstract ulong FEqualMask(in T a, in T b);
    static abstract void FSelect(in T a, in T b, ulong mask, out T r);
    /// <summary>Multiply by 3·b, where b is the curve constant (G1: 4, G2: 4(1+u)).</summary>
    static abstract void FMulBy3b(in T a, out T r);
    /// <summary>The curve constant b.</summary>
    static abstract T CurveB { get; }
}
