using System.Numerics;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Tests;

public class CurveTests
{
    internal static readonly BigInteger R = BigInteger.Parse("073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);

    internal static byte[] ScalarLe(BigInteger k)
    {
        var b = new byte[32];
        k.ToByteArray(isUnsigned: true, isBigEndian: false).CopyTo(b, 0);
        return b;
    }

    private static void GroupLawHolds<F>(Affine<F> generator) where F : unmanaged, IField<F>
    {
        var g = Curve<F>.FromAffine(generator);
        Assert.True(Curve<F>.IsOnCurve(generator.X, generator.Y));
        Curve<F>.MulVartime(g, Fp.Words(R), out var rg);
        Assert.True(rg.IsIdentity);

        Curve<F>.Double(g, out var g2);
        Curve<F>.Add(g, g, out var g2b);
        Assert.True(Curve<F>.Equal(g2, g2b));
        Curve<F>.AddMixed(g, generator.X, generator.Y, out var g2c);
        Assert.True(Curve<F>.Equal(g2, g2c));
        Curve<F>.Add(g2, g, out var g3);
        Curve<F>.AddMixed(g2, generator.X, generator.Y, out var g3b);
        Assert.True(Curve<F>.Equal(g3, g3b));
        Assert.True(Curve<F>.IsOnCurve(g3));
        Curve<F>.Add(g3, Point<F>.Identity, out var same);
        Assert.True(Curve<F>.Equal(same, g3));
        Curve<F>.Neg(g3, out var n3);
        Curve<F>.Add(g3, n3, out var zero);
        Assert.True(zero.IsIdentity);
        Curve<F>.Double(Point<F>.Identity, out var dz);
        Assert.True(dz.IsIdentity);

        var rng = new Random(11);
        for (int i = 0; i < 4; i++)
        {
            var bytes = new byte[32];
            rng.NextBytes(bytes);
            bytes[31] &= 0x3F;
            var k = new BigInteger(bytes, isUnsigned: true);
            Curve<F>.MulConstantTime(g, bytes, out var a);
            Curve<F>.MulVartime(g, Fp.Words(k), out var b);
            Assert.True(Curve<F>.Equal(a, b));
            Assert.False(a.IsIdentity);
            // (k+1)G = kG + G
            Curve<F>.MulVartime(g, Fp.Words(k + 1), out var c);
            Curve<F>.AddMixed(a, generator.X, generator.Y, out var d);
            Assert.True(Curve<F>.Equal(c, d));
            var aff = Curve<F>.ToAffine(a);
            Assert.True(Curve<F>.IsOnCurve(aff.X, aff.Y));
        }
        Curve<F>.MulConstantTime(g, new byte[32], out var z);
        Assert.True(z.IsIdentity);
    }

    [Fact]
    public void G1GroupLaw() => GroupLawHolds(G1.Generator);

    [Fact]
    public void G2GroupLaw() => GroupLawHolds(G2.Generator);

    [Fact]
    public void SubgroupChecksAcceptMultiplesOfTheGenerators()
    {
        var g1 = Curve<Fp>.FromAffine(G1.Generator);
        Curve<Fp>.MulConstantTime(g1, ScalarLe(123456789), out var p1);
        Assert.True(G1.IsInSubgroup(p1));
        var g2 = Curve<Fp2>.FromAffine(G2.Generator);
        Curve<Fp2>.MulConstantTime(g2, ScalarLe(987654321), out var p2);
        Assert.True(G2.IsInSubgroup(p2));
    }

    [Fact]
    public void SubgroupChecksRejectPointsOutsideTheSubgroup()
    {
        // Points found by x = 0, 1, 2, ... on the full curve: the cofactor makes them almost surely outside G1/G2.
        int rejected1 = 0, rejected2 = 0;
        for (ulong x = 1; x < 12; x++)
        {
            var fx = Fp.FromUInt64(x);
            Fp.Square(fx, out var rhs); Fp.Mul(rhs, fx, out rhs); Fp.Add(rhs, Fp.CurveB, out rhs);
            if (Fp.Sqrt(rhs, out var y))
            {
                var pt = new Point<Fp>(fx, y, Fp.One);
                Assert.True(Curve<Fp>.IsOnCurve(pt));
                Curve<Fp>.MulVartime(pt, Fp.Words(R), out var rp);
                Assert.Equal(rp.IsIdentity, G1.IsInSubgroup(pt));
                if (!rp.IsIdentity) rejected1++;
            }
            var fx2 = new Fp2(fx, Fp.One);
            Fp2.Square(fx2, out var rhs2); Fp2.Mul(rhs2, fx2, out rhs2); Fp2.Add(rhs2, Fp2.CurveB, out rhs2);
            if (Fp2.Sqrt(rhs2, out var y2))
            {
                var pt = new Point<Fp2>(fx2, y2, Fp2.One);
                Curve<Fp2>.MulVartime(pt, Fp.Words(R), out var rp);
                Assert.Equal(rp.IsIdentity, G2.IsInSubgroup(pt));
                if (!rp.IsIdentity) rejected2++;
                // Clearing the cofactor lands in G2.
                G2.ClearCofactor(pt, out var cleared);
                Assert.True(G2.IsInSubgroup(cleared));
                Curve<Fp2>.MulVartime(cleared, Fp.Words(R), out var rc);
                Assert.True(rc.IsIdentity);
            }
        }
        Assert.True(rejected1 > 0);
        Assert.True(rejected2 > 0);
    }
}
