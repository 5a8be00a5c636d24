using System.Numerics;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Tests;

/// <summary>The variable-time helpers for public data agree with BigInteger arithmetic, edge cases included.</summary>
public class VartimeFieldTests
{
    private static readonly BigInteger P = Fp.Modulus;

    private static IEnumerable<BigInteger> Samples(int seed, int count)
    {
        var rng = new Random(seed);
        // Edge values: smallest and largest, powers of two (long runs of shifts), p-1, (p±1)/2.
        foreach (var e in new[] { BigInteger.One, 2, 3, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2, BigInteger.One << 200, (BigInteger.One << 380) - 1 })
            yield return e;
        for (int i = 0; i < count; i++) yield return FieldTests.RandomBelowP(rng);
    }

    [Fact]
    public void InverseVartimeMatchesBigInteger()
    {
        foreach (var a in Samples(11, 300))
        {
            Fp.InverseVartime(Fp.FromBigInteger(a), out var inv);
            Assert.Equal(BigInteger.ModPow(a, P - 2, P), inv.ToBigInteger());
        }
        Fp.InverseVartime(Fp.Zero, out var zero);
        Assert.True(zero.IsZero);
    }

    [Fact]
    public void LegendreVartimeMatchesEulersCriterion()
    {
        int squares = 0;
        foreach (var a in Samples(12, 300))
        {
            var euler = BigInteger.ModPow(a, (P - 1) / 2, P);
            int expected = euler.IsOne ? 1 : -1;
            Assert.Equal(expected, Fp.LegendreVartime(Fp.FromBigInteger(a)));
            if (expected == 1) squares++;
        }
        Assert.InRange(squares, 100, 210);
        Assert.Equal(0, Fp.LegendreVartime(Fp.Zero));
    }

    [Fact]
    public void Fp2VartimeInverseAndSquareTest()
    {
        var rng = new Random(13);
        for (int i = 0; i < 100; i++)
        {
            var a = FieldTests.RandomFp2(rng);
            Fp2.InverseVartime(a, out var inv);
            Fp2.Mul(a, inv, out var one);
            Assert.True(Fp2.Equal(one, Fp2.One));
            Fp2.Square(a, out var sq);
            Assert.True(Fp2.IsSquareVartime(sq));
            Assert.Equal(Fp2.Sqrt(a, out _), Fp2.IsSquareVartime(a));
        }
        // Elements of Fp (c1 = 0): every one is a square in Fp2.
        Assert.True(Fp2.Sqrt(new Fp2(Fp.FromUInt64(5), Fp.Zero), out var r5));
        Fp2.Square(r5, out var back);
        Assert.True(Fp2.Equal(back, new Fp2(Fp.FromUInt64(5), Fp.Zero)));
    }
}
