using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.HashToCurve;

/// <summary>
/// Simplified SWU (RFC 9380 §6.6.2) onto E2': y² = x³ + A'x + B', A' = 240u, B' = 1012(1 + u), Z = -(2 + u).
/// Messages are public, so this straight-line version may branch on values.
/// </summary>
internal static class SswuG2
{
    private static readonly Fp2 s_a = new(Fp.Zero, Fp.FromUInt64(240));
    private static readonly Fp2 s_b = new(Fp.FromUInt64(1012), Fp.FromUInt64(1012));
    private static readonly Fp2 s_z = Negate(new Fp2(Fp.FromUInt64(2), Fp.One));
    private static readonly Fp2 s_minusBOverA = ComputeMinusBOverA();
    private static readonly Fp2 s_bOverZA = ComputeBOverZA();

    private static Fp2 Negate(Fp2 a) { Fp2.Neg(a, out var r); return r; }

    private static Fp2 ComputeMinusBOverA()
    {
        Fp2.Inverse(s_a, out var ai);
        Fp2.Mul(s_b, ai, out var r);
        return Negate(r);
    }

    private static Fp2 ComputeBOverZA()
    {
        Fp2.Mul(s_z, s_a, out var za);
        Fp2.Inverse(za, out var zai);
        Fp2.Mul(s_b, zai, out var r);
        return r;
    }

    private static void G(in Fp2 x, out Fp2 gx)
    {
        Fp2.Square(x, out var x2);
        Fp2.Add(x2, s_a, out x2);
        Fp2.Mul(x2, x, out gx);
        Fp2.Add(gx, s_b, out gx);
    }

    internal static void Map(in Fp2 u, out Fp2 x, out Fp2 y)
    {
        Fp2.Square(u, out var u2);
        Fp2.Mul(s_z, u2, out var zu2);
        Fp2.Square(zu2, out var tv1);
        Fp2.Add(tv1, zu2, out tv1);           // Z²u⁴ + Zu²
        Fp2 x1;
        if (tv1.IsZero)
        {
            x1 = s_bOverZA;
        }
        else
        {
            Fp2.InverseVartime(tv1, out tv1);
            Fp2.Add(tv1, Fp2.One, out var t);
            Fp2.Mul(s_minusBOverA, t, out x1);
        }
        G(x1, out var gx1);
        // A Legendre symbol picks the square candidate, so only one square root is taken.
        if (Fp2.IsSquareVartime(gx1))
        {
            x = x1;
        }
        else
        {
            Fp2.Mul(zu2, x1, out x);
            G(x, out gx1);
        }
        if (!Fp2.Sqrt(gx1, out y)) throw new InvalidOperationException("SSWU: neither candidate is square (impossible)");
        if (u.Sgn0() != y.Sgn0()) Fp2.Neg(y, out y);
    }
}
