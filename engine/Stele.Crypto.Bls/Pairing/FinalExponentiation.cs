using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Pairing;

/// <summary>
/// f^(3(p¹²-1)/r). Easy part (p⁶-1)(p²+1) with one inversion and a Frobenius; hard part via the
/// decomposition 3(p⁴-p²+1)/r = (x-1)²(x+p)(x²+p²-1) + 3 (Hayashida–Hayasaka–Teruya), which needs five
/// exponentiations by |x| using cyclotomic squarings. The extra factor 3 is coprime to r, so the map is
/// still a non-degenerate bilinear pairing and "product of pairings == 1" checks are unchanged.
/// </summary>
internal static class FinalExponentiation
{
    internal static void Apply(in Fp12 f, out Fp12 r)
    {
        // Easy part: t = f^((p^6 - 1)(p^2 + 1)); afterwards t is unitary (inverse = conjugate).
        Fp12.Conjugate(f, out var t);
        Fp12.Inverse(f, out var inv);
        Fp12.Mul(t, inv, out t);
        Fp12.Frobenius(t, 2, out var t2);
        Fp12.Mul(t2, t, out t);

        // a = t^((x-1)^2)
        ExpByX(t, out var a); Fp12.Conjugate(t, out var ct); Fp12.Mul(a, ct, out a);
        ExpByX(a, out var a2); Fp12.Conjugate(a, out var ca); Fp12.Mul(a2, ca, out a);
        // b = a^(x + p)
        ExpByX(a, out var b); Fp12.Frobenius(a, 1, out var ap); Fp12.Mul(b, ap, out b);
        // c = b^(x^2 + p^2 - 1)
        ExpByX(b, out var c); ExpByX(c, out c);
        Fp12.Frobenius(b, 2, out var bp2); Fp12.Mul(c, bp2, out c);
        Fp12.Conjugate(b, out var cb); Fp12.Mul(c, cb, out c);
        // r = c · t^3
        Fp12.CyclotomicSquare(t, out var t3); Fp12.Mul(t3, t, out t3);
        Fp12.Mul(c, t3, out r);
    }

    /// <summary>
    /// g^x for x = -|x| on a cyclotomic element. |x| = 2^63 + 2^62 + 2^60 + 2^57 + 2^48 + 2^16, so
    /// g^|x| is the product of six powers g^(2^k): the long squaring runs up to 2^57 go through Karabina's
    /// compressed squaring (snapshots at 2^16, 2^48, 2^57, decompressed with one shared inversion), the last
    /// six squarings through Granger–Scott; then five multiplications and a conjugation (the inverse).
    /// </summary>
    internal static void ExpByX(in Fp12 g, out Fp12 r)
    {
        Span<CompressedCyclotomic> snapshots = stackalloc CompressedCyclotomic[3];
        Span<Fp12> powers = stackalloc Fp12[3];
        var c = CompressedCyclotomic.From(g);
        for (int k = 1; k <= 57; k++)
        {
            c.Square();
            if (k == 16) snapshots[0] = c;
            else if (k == 48) snapshots[1] = c;
        }
        snapshots[2] = c;
        if (!CompressedCyclotomic.TryDecompress(snapshots, powers))
        {
            ExpByXUncompressed(g, out r);
            return;
        }
        var acc = powers[0];
        Fp12.Mul(acc, powers[1], out acc);
        var u = powers[2];                                            // g^(2^57)
        Fp12.Mul(acc, u, out acc);
        for (int k = 0; k < 3; k++) Fp12.CyclotomicSquare(u, out u);  // g^(2^60)
        Fp12.Mul(acc, u, out acc);
        for (int k = 0; k < 2; k++) Fp12.CyclotomicSquare(u, out u);  // g^(2^62)
        Fp12.Mul(acc, u, out acc);
        Fp12.CyclotomicSquare(u, out u);                              // g^(2^63)
        Fp12.Mul(acc, u, out acc);
        Fp12.Conjugate(acc, out r);
    }

    /// <summary>g^x by square-and-multiply with Granger–Scott squarings (also the fallback for degenerate inputs).</summary>
    internal static void ExpByXUncompressed(in Fp12 g, out Fp12 r)
    {
        var acc = g;
        for (int i = 62; i >= 0; i--)
        {
            Fp12.CyclotomicSquare(acc, out acc);
            if (((Curve<Fp>.AbsX >> i) & 1) != 0) Fp12.Mul(acc, g, out acc);
        }
        Fp12.Conjugate(acc, out r);
    }
}
