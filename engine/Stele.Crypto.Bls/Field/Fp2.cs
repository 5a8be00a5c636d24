using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Bls.Field;

/// <summary>Fp2 = Fp[u]/(u² + 1): C0 + C1·u. Branch-free except where noted (public-data helpers).</summary>
internal struct Fp2 : IField<Fp2>
{
    internal Fp C0, C1;

    internal Fp2(in Fp c0, in Fp c1) { C0 = c0; C1 = c1; }

    internal static readonly Fp2 Zero = default;
    internal static readonly Fp2 One = new(Fp.One, Fp.Zero);


    internal static Fp2 FromBigIntegers(BigInteger c0, BigInteger c1) => new(Fp.FromBigInteger(c0), Fp.FromBigInteger(c1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Add(in Fp2 a, in Fp2 b, out Fp2 r)
    {
        Fp.Add(a.C0, b.C0, out r.C0);
        Fp.Add(a.C1, b.C1, out r.C1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Sub(in Fp2 a, in Fp2 b, out Fp2 r)
    {
        Fp.Sub(a.C0, b.C0, out r.C0);
        Fp.Sub(a.C1, b.C1, out r.C1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Double(in Fp2 a, out Fp2 r)
    {
        Fp.Add(a.C0, a.C0, out r.C0);
        Fp.Add(a.C1, a.C1, out r.C1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Neg(in Fp2 a, out Fp2 r)
    {
        Fp.Neg(a.C0, out r.C0);
        Fp.Neg(a.C1, out r.C1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Conjugate(in Fp2 a, out Fp2 r)
    {
        r.C0 = a.C0;
        Fp.Neg(a.C1, out r.C1);
    }

    /// <summary>
    /// Karatsuba with lazy reduction: three unreduced 768-bit products and one Montgomery reduction per
    /// output coefficient (two instead of three). c1 = (a0+a1)(b0+b1) - a0b0 - a1b1 = a0b1 + a1b0 &lt; 2p²
    /// is exact; c0 = a0b0 - a1b1 gets p² added when negative. Both stay below p·2^384, as Redc needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // one shared copy: inlined, the tower code outgrew the instruction cache (~10% slower)
    internal static void Mul(in Fp2 a, in Fp2 b, out Fp2 r)
    {
        Fp.MulWide(a.C0, b.C0, out var t0);
        Fp.MulWide(a.C1, b.C1, out var t1);
        Fp.AddUnreduced(a.C0, a.C1, out var sa);
        Fp.AddUnreduced(b.C0, b.C1, out var sb);
        Fp.MulWide(sa, sb, out var t2);
        FpWide.Sub(t2, t0, out t2);
        FpWide.Sub(t2, t1, out t2);
        FpWide.SubModPSquared(t0, t1, out t0);
        Fp.Redc(t0, out r.C0);
        Fp.Redc(t2, out r.C1);
    }

    /// <summary>(a0 + a1 u)² = (a0 + a1)(a0 - a1) + 2 a0 a1 u.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // one shared copy: inlined, the tower code outgrew the instruction cache (~10% slower)
    internal static void Square(in Fp2 a, out Fp2 r)
    {
        Fp.Add(a.C0, a.C1, out var s);
        Fp.Sub(a.C0, a.C1, out var d);
        Fp.Mul(a.C0, a.C1, out var m);
        Fp.Mul(s, d, out r.C0);
        Fp.Add(m, m, out r.C1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MulByFp(in Fp2 a, in Fp b, out Fp2 r)
    {
        Fp.Mul(a.C0, b, out r.C0);
        Fp.Mul(a.C1, b, out r.C1);
    }

    /// <summary>Multiply by the non-residue ξ = 1 + u used to build Fp6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MulByNonResidue(in Fp2 a, out Fp2 r)
    {
        Fp.Sub(a.C0, a.C1, out var c0);
        Fp.Add(a.C0, a.C1, out r.C1);
        r.C0 = c0;
    }

    /// <summary>1/a = conj(a) / (a0² + a1²); constant-time (Fermat inversion of the norm).</summary>
    internal static void Inverse(in Fp2 a, out Fp2 r)
    {
        Norm(a, out var n);
        Fp.Inverse(n, out var ni);
        ScaleConjugate(a, ni, out r);
    }

    private static void Norm(in Fp2 a, out Fp n)
    {
        Fp.Square(a.C0, out var n0);
        Fp.Square(a.C1, out var n1);
        Fp.Add(n0, n1, out n);
    }

    private static void ScaleConjugate(in Fp2 a, in Fp s, out Fp2 r)
    {
        Fp.Mul(a.C0, s, out r.C0);
        Fp.Mul(a.C1, s, out var t);
        Fp.Neg(t, out r.C1);
    }

    /// <summary>Inverse of a PUBLIC value (variable-time inversion of the norm).</summary>
    internal static void InverseVartime(in Fp2 a, out Fp2 r)
    {
        Norm(a, out var n);
        Fp.InverseVartime(n, out var ni);
        ScaleConjugate(a, ni, out r);
    }

    /// <summary>True if a PUBLIC a is a square in Fp2 (zero included): exactly when its norm a0² + a1² is a square in Fp.</summary>
    internal static bool IsSquareVartime(in Fp2 a)
    {
        Norm(a, out var n);
        return Fp.LegendreVartime(n) >= 0;
    }

    internal static ulong IsZeroMask(in Fp2 a) => Fp.IsZeroMask(a.C0) & Fp.IsZeroMask(a.C1);

    internal readonly bool IsZero => IsZeroMask(this) != 0;

    internal static ulong EqualMask(in Fp2 a, in Fp2 b) => Fp.EqualMask(a.C0, b.C0) & Fp.EqualMask(a.C1, b.C1);

    internal static bool Equal(in Fp2 a, in Fp2 b) => EqualMask(a, b) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Select(in Fp2 a, in Fp2 b, ulong mask, out Fp2 r)
    {
        Fp.Select(a.C0, b.C0, mask, out r.C0);
        Fp.Select(a.C1, b.C1, mask, out r.C1);
    }

    /// <summary>a^e for a public exponent (little-endian words); plain square-and-multiply.</summary>
    internal static void Pow(in Fp2 a, ReadOnlySpan<ulong> e, out Fp2 r)
    {
        var acc = One;
        var b = a;
        for (int i = e.Length * 64 - 1; i >= 0; i--)
        {
            Square(acc, out acc);
            if (((e[i / 64] >> (i % 64)) & 1) != 0) Mul(acc, b, out acc);
        }
        r = acc;
    }

    internal static Fp2 Pow(in Fp2 a, BigInteger e)
    {
        Pow(a, Fp.Words(e), out var r);
        return r;
    }

    /// <summary>
    /// Square root in Fp2 through the norm (p ≡ 3 mod 4): with n = a0² + a1² and s = √n, t = (a0 ± s)/2 is a
    /// square in Fp and √a = √t + (a1 / (2√t))·u. 1/√t comes for free as t^((p-3)/4), so this costs two
    /// Fp exponentiations and no inversion; binary Legendre symbols reject non-squares and pick the sign
    /// of ±s without exponentiating. Variable-time: only for public values (decompression, hash to curve).
    /// Returns false if a is not a square.
    /// </summary>
    internal static bool Sqrt(in Fp2 a, out Fp2 r)
    {
        r = default;
        if (a.C1.IsZero)
        {
            if (Fp.LegendreVartime(a.C0) >= 0)
            {
                Fp.Sqrt(a.C0, out var s0);
                r = new Fp2(s0, Fp.Zero);
                return true;
            }
            Fp.Neg(a.C0, out var na);
            bool ok = Fp.Sqrt(na, out var s1); // -1 is not a square, so -a0 is
            r = new Fp2(Fp.Zero, s1);
            return ok;
        }
        Norm(a, out var n);
        if (Fp.LegendreVartime(n) < 0) return false;
        Fp.Sqrt(n, out var s);
        Fp.Add(a.C0, s, out var t);
        Fp.Mul(t, Fp.Half, out t);
        if (Fp.LegendreVartime(t) < 0)
        {
            Fp.Sub(a.C0, s, out t);
            Fp.Mul(t, Fp.Half, out t);
        }
        if (!SqrtAndInverse(t, out var x0, out var y)) return false;
        Fp.Mul(a.C1, y, out var x1);
        Fp.Mul(x1, Fp.Half, out x1);
        r = new Fp2(x0, x1);
        Square(r, out var check);
        return Equal(check, a);
    }

    /// <summary>x = √t and y = 1/√t for a non-zero square t; false if t is not a square.</summary>
    private static bool SqrtAndInverse(in Fp t, out Fp x, out Fp y)
    {
        Fp.PowPMinus3Over4(t, out y);
        Fp.Mul(y, t, out x);
        Fp.Square(x, out var check);
        return Fp.Equal(check, t) && !t.IsZero;
    }

    /// <summary>sgn0 of RFC 9380 for m = 2.</summary>
    internal readonly ulong Sgn0()
    {
        ulong s0 = C0.Sgn0();
        ulong z0 = C0.IsZero ? 1UL : 0UL;
        ulong s1 = C1.Sgn0();
        return s0 | (z0 & s1);
    }

    /// <summary>ZCash sign: compare C1 first, then C0 when C1 is zero.</summary>
    internal readonly bool IsLexicographicallyLargest() =>
        C1.IsZero ? C0.IsLexicographicallyLargest() : C1.IsLexicographicallyLargest();

    public override readonly string ToString() => $"({C0}, {C1})";

    public static Fp2 FieldZero => default;
    public static Fp2 FieldOne => One;
    public static Fp2 CurveB => s_b;
    private static readonly Fp2 s_b = new(Fp.FromUInt64(4), Fp.FromUInt64(4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FAdd(in Fp2 a, in Fp2 b, out Fp2 r) => Add(a, b, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FSub(in Fp2 a, in Fp2 b, out Fp2 r) => Sub(a, b, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FMul(in Fp2 a, in Fp2 b, out Fp2 r) => Mul(a, b, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FSquare(in Fp2 a, out Fp2 r) => Square(a, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FNeg(in Fp2 a, out Fp2 r) => Neg(a, out r);
    public static void FInverse(in Fp2 a, out Fp2 r) => Inverse(a, out r);
    public static void FInverseVartime(in Fp2 a, out Fp2 r) => InverseVartime(a, out r);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong FIsZeroMask(in Fp2 a) => IsZeroMask(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong FEqualMask(in Fp2 a, in Fp2 b) => EqualMask(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void FSelect(in Fp2 a, in Fp2 b, ulong mask, out Fp2 r) => Select(a, b, mask, out r);

    /// <summary>12(1+u)·a = 12(a0 - a1) + 12(a0 + a1)u, additions only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FMulBy3b(in Fp2 a, out Fp2 r)
    {
        MulByNonResidue(a, out var t);
        Fp.FMulBy3b(t.C0, out r.C0);
        Fp.FMulBy3b(t.C1, out r.C1);
    }
}
