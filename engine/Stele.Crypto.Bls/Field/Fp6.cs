using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Bls.Field;

/// <summary>Fp6 = Fp2[v]/(v³ - ξ), ξ = 1 + u: C0 + C1·v + C2·v².</summary>
internal struct Fp6
{
    internal Fp2 C0, C1, C2;

    internal Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2) { C0 = c0; C1 = c1; C2 = c2; }

    internal static readonly Fp6 Zero = default;
    internal static readonly Fp6 One = new(Fp2.One, Fp2.Zero, Fp2.Zero);

    // Frobenius coefficients ξ^(i(p^n-1)/3) for v^i, derived once from p.
    private static readonly Fp2[] s_frobV1 = new Fp2[4];
    private static readonly Fp2[] s_frobV2 = new Fp2[4];

    static Fp6()
    {
        var xi = new Fp2(Fp.One, Fp.One);
        var p = Fp.Modulus;
        for (int n = 1; n <= 3; n++)
        {
            var e = (BigInteger.Pow(p, n) - 1) / 3;
            s_frobV1[n] = Fp2.Pow(xi, e);
            s_frobV2[n] = Fp2.Pow(xi, 2 * e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Add(in Fp6 a, in Fp6 b, out Fp6 r)
    {
        Fp2.Add(a.C0, b.C0, out r.C0); Fp2.Add(a.C1, b.C1, out r.C1); Fp2.Add(a.C2, b.C2, out r.C2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Sub(in Fp6 a, in Fp6 b, out Fp6 r)
    {
        Fp2.Sub(a.C0, b.C0, out r.C0); Fp2.Sub(a.C1, b.C1, out r.C1); Fp2.Sub(a.C2, b.C2, out r.C2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Neg(in Fp6 a, out Fp6 r)
    {
        Fp2.Neg(a.C0, out r.C0); Fp2.Neg(a.C1, out r.C1); Fp2.Neg(a.C2, out r.C2);
    }

    /// <summary>Multiply by v: (a0, a1, a2) → (ξ a2, a0, a1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MulByNonResidue(in Fp6 a, out Fp6 r)
    {
        Fp2.MulByNonResidue(a.C2, out var c0);
        var c1 = a.C0;
        var c2 = a.C1;
        r.C0 = c0; r.C1 = c1; r.C2 = c2;
    }

    internal static void Mul(in Fp6 a, in Fp6 b, out Fp6 r)
    {
        Fp2.Mul(a.C0, b.C0, out var t0);
        Fp2.Mul(a.C1, b.C1, out var t1);
        Fp2.Mul(a.C2, b.C2, out var t2);

        Fp2.Add(a.C1, a.C2, out var x); Fp2.Add(b.C1, b.C2, out var y);
        Fp2.Mul(x, y, out var c0); Fp2.Sub(c0, t1, out c0); Fp2.Sub(c0, t2, out c0);
        Fp2.MulByNonResidue(c0, out c0); Fp2.Add(c0, t0, out c0);

        Fp2.Add(a.C0, a.C1, out x); Fp2.Add(b.C0, b.C1, out y);
        Fp2.Mul(x, y, out var c1); Fp2.Sub(c1, t0, out c1); Fp2.Sub(c1, t1, out c1);
        Fp2.MulByNonResidue(t2, out var xt2); Fp2.Add(c1, xt2, out c1);

        Fp2.Add(a.C0, a.C2, out x); Fp2.Add(b.C0, b.C2, out y);
        Fp2.Mul(x, y, out var c2); Fp2.Sub(c2, t0, out c2); Fp2.Sub(c2, t2, out c2); Fp2.Add(c2, t1, out c2);

        r.C0 = c0; r.C1 = c1; r.C2 = c2;
    }

    /// <summary>Chung–Hasan SQR2.</summary>
    internal static void Square(in Fp6 a, out Fp6 r)
    {
        Fp2.Square(a.C0, out var s0);
        Fp2.Mul(a.C0, a.C1, out var ab); Fp2.Double(ab, out var s1);
        Fp2.Sub(a.C0, a.C1, out var t); Fp2.Add(t, a.C2, out t); Fp2.Square(t, out var s2);
        Fp2.Mul(a.C1, a.C2, out var bc); Fp2.Double(bc, out var s3);
        Fp2.Square(a.C2, out var s4);

        Fp2.MulByNonResidue(s3, out var c0); Fp2.Add(c0, s0, out c0);
        Fp2.MulByNonResidue(s4, out var c1); Fp2.Add(c1, s1, out c1);
        Fp2.Add(s1, s2, out var c2); Fp2.Add(c2, s3, out c2); Fp2.Sub(c2, s0, out c2); Fp2.Sub(c2, s4, out c2);
        r.C0 = c0; r.C1 = c1; r.C2 = c2;
    }

    /// <summary>a · (b0 + b1 v).</summary>
    internal static void MulBy01(in Fp6 a, in Fp2 b0, in Fp2 b1, out Fp6 r)
    {
        Fp2.Mul(a.C0, b0, out var t0);
        Fp2.Mul(a.C1, b1, out var t1);

        Fp2.Add(a.C1, a.C2, out var x);
        Fp2.Mul(x, b1, out var c0); Fp2.Sub(c0, t1, out c0); Fp2.MulByNonResidue(c0, out c0); Fp2.Add(c0, t0, out c0);

        Fp2.Add(a.C0, a.C1, out x); Fp2.Add(b0, b1, out var y);
        Fp2.Mul(x, y, out var c1); Fp2.Sub(c1, t0, out c1); Fp2.Sub(c1, t1, out c1);

        Fp2.Add(a.C0, a.C2, out x);
        Fp2.Mul(x, b0, out var c2); Fp2.Sub(c2, t0, out c2); Fp2.Add(c2, t1, out c2);
        r.C0 = c0; r.C1 = c1; r.C2 = c2;
    }

    /// <summary>a · (b1 v).</summary>
    internal static void MulBy1(in Fp6 a, in Fp2 b1, out Fp6 r)
    {
        Fp2.Mul(a.C2, b1, out var c0); Fp2.MulByNonResidue(c0, out c0);
        Fp2.Mul(a.C0, b1, out var c1);
        Fp2.Mul(a.C1, b1, out var c2);
        r.C0 = c0; r.C1 = c1; r.C2 = c2;
    }

    internal static void Inverse(in Fp6 a, out Fp6 r)
    {
        Fp2.Square(a.C0, out var c0); Fp2.Mul(a.C1, a.C2, out var t); Fp2.MulByNonResidue(t, out t); Fp2.Sub(c0, t, out c0);
        Fp2.Square(a.C2, out var c1); Fp2.MulByNonResidue(c1, out c1); Fp2.Mul(a.C0, a.C1, out t); Fp2.Sub(c1, t, out c1);
        Fp2.Square(a.C1, out var c2); Fp2.Mul(a.C0, a.C2, out t); Fp2.Sub(c2, t, out c2);

        Fp2.Mul(a.C2, c1, out var d); Fp2.Mul(a.C1, c2, out t); Fp2.Add(d, t, out d); Fp2.MulByNonResidue(d, out d);
        Fp2.Mul(a.C0, c0, out t); Fp2.Add(d, t, out d);
        Fp2.InverseVartime(d, out var di); // pairing values are public
        Fp2.Mul(c0, di, out r.C0); Fp2.Mul(c1, di, out r.C1); Fp2.Mul(c2, di, out r.C2);
    }

    internal static void Frobenius(in Fp6 a, int n, out Fp6 r)
    {
        Fp2 c0 = a.C0, c1 = a.C1, c2 = a.C2;
        if ((n & 1) == 1)
        {
            Fp2.Conjugate(c0, out c0); Fp2.Conjugate(c1, out c1); Fp2.Conjugate(c2, out c2);
        }
        Fp2.Mul(c1, s_frobV1[n], out c1);
        Fp2.Mul(c2, s_frobV2[n], out c2);
        r.C0 = c0; r.C1 = c1; r.C2 = c2;
    }

    internal static bool Equal(in Fp6 a, in Fp6 b) => Fp2.Equal(a.C0, b.C0) && Fp2.Equal(a.C1, b.C1) && Fp2.Equal(a.C2, b.C2);
}
