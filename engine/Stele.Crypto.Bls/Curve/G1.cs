using System.Numerics;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Curve;

/// <summary>G1: the order-r subgroup of E(Fp): y² = x³ + 4.</summary>
internal static class G1
{
    internal static readonly Affine<Fp> Generator = new(
        Fp.FromBigInteger(Hex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb")),
        Fp.FromBigInteger(Hex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1")));

    /// <summary>A cube root of unity β with φ(x, y) = (βx, y) acting as [-x²] on G1 (chosen once at start-up).</summary>
    private static readonly Fp s_beta = ChooseBeta();

    internal static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber);

    private static Fp ChooseBeta()
    {
        var p = Fp.Modulus;
        var omega = BigInteger.ModPow(2, (p - 1) / 3, p); // 2 is a cubic non-residue mod p, so ω ≠ 1
        var g = Curve<Fp>.FromAffine(Generator);
        MulByMinusXSquared(g, out var target);
        foreach (var candidate in new[] { omega, omega * omega % p })
        {
            var beta = Fp.FromBigInteger(candidate);
            Fp.Mul(g.X, beta, out var x);
            if (Curve<Fp>.Equal(new Point<Fp>(x, g.Y, g.Z), target)) return beta;
        }
        throw new InvalidOperationException("no cube root of unity matches the G1 endomorphism");
    }

    private static void MulByMinusXSquared(in Point<Fp> p, out Point<Fp> r)
    {
        Jacobian<Fp>.MulByAbsX(p, out var t);
        Jacobian<Fp>.MulByAbsX(t, out t);
        Curve<Fp>.Neg(t, out r);
    }

    /// <summary>
    /// Subgroup membership (Scott 2021): P ∈ G1 iff φ(P) = [-x²]P. Costs two 64-bit multiplications
    /// instead of one by the 255-bit r. The point must already be on the curve.
    /// </summary>
    internal static bool IsInSubgroup(in Point<Fp> p)
    {
        if (p.IsIdentity) return true;
        MulByMinusXSquared(p, out var rhs);
        Fp.Mul(p.X, s_beta, out var bx);
        return Curve<Fp>.Equal(new Point<Fp>(bx, p.Y, p.Z), rhs);
    }
}
