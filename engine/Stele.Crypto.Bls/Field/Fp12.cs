using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Bls.Field;

/// <summary>Fp12 = Fp6[w]/(w² - v): C0 + C1·w. Pairing values live here; they are public.</summary>
internal struct Fp12
{
    internal Fp6 C0, C1;

    internal Fp12(in Fp6 c0, in Fp6 c1) { C0 = c0; C1 = c1; }

    internal static readonly Fp12 One = new(Fp6.One, Fp6.Zero);

    // ξ^((p^n - 1)/6): the Frobenius image of w is w·γ_n.
    private static readonly Fp2[] s_frobW = new Fp2[4];

    static Fp12()
    {
        var xi = new Fp2(Fp.One, Fp.One);
        for (int n = 1; n <= 3; n++) s_frobW[n] = Fp2.Pow(xi, (BigInteger.Pow(Fp.Modulus, n) - 1) / 6);
    }

    internal static void Mul(in Fp12 a, in Fp12 b, out Fp12 r)
    {
        Fp6.Mul(a.C0, b.C0, out var t0);
        Fp6.Mul(a.C1, b.C1, out var t1);
        Fp6.Add(a.C0, a.C1, out var x);
        Fp6.Add(b.C0, b.C1, out var y);
        Fp6.Mul(x, y, out var c1);
        Fp6.Sub(c1, t0, out c1);
        Fp6.Sub(c1, t1, out c1);
        Fp6.MulByNonResidue(t1, out t1);
        Fp6.Add(t0, t1, out r.C0);
        r.C1 = c1;
    }

    internal static void Square(in Fp12 a, out Fp12 r)
    {
        Fp6.Mul(a.C0, a.C1, out var ab);
        Fp6.Add(a.C0, a.C1, out var s);
        Fp6.MulByNonResidue(a.C1, out var va1);
        Fp6.Add(a.C0, va1, out var t);
        Fp6.Mul(s, t, out var c0);
        Fp6.Sub(c0, ab, out c0);
        Fp6.MulByNonResidue(ab, out var vab);
        Fp6.Sub(c0, vab, out r.C0);
        Fp6.Add(ab, ab, out r.C1);
    }

    /// <summary>f · (a0 + a1 v + b1 v w): the sparse line value of the Miller loop.</summary>
    internal static void MulBy014(ref Fp12 f, in Fp2 a0, in Fp2 a1, in Fp2 b1)
    {
        Fp6.MulBy01(f.C0, a0, a1, out var t0);
        Fp6.MulBy1(f.C1, b1, out var t1);
        Fp6.Add(f.C0, f.C1, out var s);
        Fp2.Add(a1, b1, out var a1b1);
        Fp6.MulBy01(s, a0, a1b1, out var c1);
        Fp6.Sub(c1, t0, out c1);
        Fp6.Sub(c1, t1, out f.C1);
        Fp6.MulByNonResidue(t1, out t1);
        Fp6.Add(t0, t1, out f.C0);
    }

    internal static void Conjugate(in Fp12 a, out Fp12 r)
    {
        r.C0 = a.C0;
        Fp6.Neg(a.C1, out r.C1);
    }

    internal static void Inverse(in Fp12 a, out Fp12 r)
    {
        Fp6.Square(a.C0, out var t0);
        Fp6.Square(a.C1, out var t1);
        Fp6.MulByNonResidue(t1, out t1);
        Fp6.Sub(t0, t1, out t0);
        Fp6.Inverse(t0, out var t);
        Fp6.Mul(a.C0, t, out r.C0);
        Fp6.Mul(a.C1, t, out var c1);
        Fp6.Neg(c1, out r.C1);
    }

    internal static void Frobenius(in Fp12 a, int n, out Fp12 r)
    {
        Fp6.Frobenius(a.C0, n, out var c0);
        Fp6.Frobenius(a.C1, n, out var c1);
        Fp2.Mul(c1.C0, s_frobW[n], out c1.C0);
        Fp2.Mul(c1.C1, s_frobW[n], out c1.C1);
        Fp2.Mul(c1.C2, s_frobW[n], out c1.C2);
        r.C0 = c0; r.C1 = c1;
    }

    /// <summary>Squaring in Fp4 = Fp2[s]/(s² - ξ): returns (a + b s)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fp4Square(in Fp2 a, in Fp2 b, out Fp2 c0, out Fp2 c1)
    {
        Fp2.Square(a, out var t0);
        Fp2.Square(b, out var t1);
        Fp2.MulByNonResidue(t1, out var t2);
        Fp2.Add(t2, t0, out c0);
        Fp2.Add(a, b, out t2);
        Fp2.Square(t2, out t2);
        Fp2.Sub(t2, t0, out t2);
        Fp2.Sub(t2, t1, out c1);
    }

    /// <summary>Granger–Scott squaring, valid only for elements of the cyclotomic subgroup.</summary>
    internal static void CyclotomicSquare(in Fp12 f, out Fp12 r)
    {
        Fp2 z0 = f.C0.C0, z4 = f.C0.C1, z3 = f.C0.C2, z2 = f.C1.C0, z1 = f.C1.C1, z5 = f.C1.C2;

        Fp4Square(z0, z1, out var t0, out var t1);
        Fp2.Sub(t0, z0, out z0); Fp2.Double(z0, out z0); Fp2.Add(z0, t0, out z0);
        Fp2.Add(t1, z1, out z1); Fp2.Double(z1, out z1); Fp2.Add(z1, t1, out z1);

        Fp4Square(z2, z3, out t0, out t1);
        Fp4Square(z4, z5, out var t2, out var t3);
        Fp2.Sub(t0, z4, out z4); Fp2.Double(z4, out z4); Fp2.Add(z4, t0, out z4);
        Fp2.Add(t1, z5, out z5); Fp2.Double(z5, out z5); Fp2.Add(z5, t1, out z5);

        Fp2.MulByNonResidue(t3, out t0);
        Fp2.Add(t0, z2, out z2); Fp2.Double(z2, out z2); Fp2.Add(z2, t0, out z2);
        Fp2.Sub(t2, z3, out z3); Fp2.Double(z3, out z3); Fp2.Add(z3, t2, out z3);

        r.C0 = new Fp6(z0, z4, z3);
        r.C1 = new Fp6(z2, z1, z5);
    }

    internal static bool Equal(in Fp12 a, in Fp12 b) => Fp6.Equal(a.C0, b.C0) && Fp6.Equal(a.C1, b.C1);

    internal readonly bool IsOne => Equal(this, One);

    /// <summary>a^e for a public exponent (tests and one-time checks only).</summary>
    internal static Fp12 Pow(in Fp12 a, BigInteger e)
    {
        var acc = One;
        var words = Fp.Words(e);
        for (int i = words.Length * 64 - 1; i >= 0; i--)
        {
            Square(acc, out acc);
            if (((words[i / 64] >> (i % 64)) & 1) != 0) Mul(acc, a, out acc);
        }
        return acc;
    }
}
