using System.Numerics;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.Pairing;

namespace Stele.Crypto.Bls.Tests;

public class PairingTests
{
    private static Affine<Fp> G1Mul(BigInteger k)
    {
        Curve<Fp>.MulVartime(Curve<Fp>.FromAffine(G1.Generator), Fp.Words(k), out var p);
        return Curve<Fp>.ToAffine(p);
    }

    private static Affine<Fp2> G2Mul(BigInteger k)
    {
        Curve<Fp2>.MulVartime(Curve<Fp2>.FromAffine(G2.Generator), Fp.Words(k), out var p);
        return Curve<Fp2>.ToAffine(p);
    }

    [Fact]
    public void PairingIsNonDegenerateAndHasOrderR()
    {
        var e = Pairings.Pair(G1.Generator, G2.Generator);
        Assert.False(e.IsOne);
        Assert.True(Fp12.Pow(e, CurveTests.R).IsOne);
    }

    [Fact]
    public void PairingIsBilinear()
    {
        var rng = new Random(21);
        var bytes = new byte[16];
        rng.NextBytes(bytes);
        var a = new BigInteger(bytes, isUnsigned: true);
        rng.NextBytes(bytes);
        var b = new BigInteger(bytes, isUnsigned: true);
        var e = Pairings.Pair(G1.Generator, G2.Generator);
        var eab = Pairings.Pair(G1Mul(a), G2Mul(b));
        Assert.True(Fp12.Equal(eab, Fp12.Pow(e, a * b % CurveTests.R)));
        var e1 = Pairings.Pair(G1Mul(a * b % CurveTests.R), G2.Generator);
        Assert.True(Fp12.Equal(eab, e1));
    }

    [Fact]
    public void FinalExponentiationIsTheThirdPowerOfTheTextbookMap()
    {
        var f = FieldTests.RandomFp12(new Random(22));
        FinalExponentiation.Apply(f, out var fast);
        var p = Fp.Modulus;
        var slow = Fp12.Pow(f, 3 * (BigInteger.Pow(p, 12) - 1) / CurveTests.R);
        Assert.True(Fp12.Equal(fast, slow));
    }

    [Fact]
    public void MultiPairingDetectsBalancedProducts()
    {
        // e(aG1, G2) · e(-G1, aG2) = 1, and not with a different scalar.
        var a = new BigInteger(0x1234567890abcdefUL);
        var pa = G1Mul(a);
        var qa = G2Mul(a);
        var negG1 = G1.Generator;
        Fp.Neg(negG1.Y, out negG1.Y);
        Assert.True(Pairings.ProductIsOne([pa, negG1], [G2.Generator, qa]));
        var qb = G2Mul(a + 1);
        Assert.False(Pairings.ProductIsOne([pa, negG1], [G2.Generator, qb]));
        // Identity inputs contribute 1.
        Assert.True(Pairings.ProductIsOne([pa, negG1, Affine<Fp>.Infinity], [G2.Generator, qa, G2.Generator]));
    }
}
