using System.Numerics;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Tests;

/// <summary>The unreduced product, Montgomery reduction and the lazily reduced Fp2 product agree with BigInteger.</summary>
public class LazyReductionTests
{
    private static readonly BigInteger P = Fp.Modulus;
    private static readonly BigInteger RInverse = BigInteger.ModPow(BigInteger.ModPow(2, 384, P), P - 2, P);

    private static BigInteger ToBig(in FpWide w)
    {
        var words = new[] { w.W0, w.W1, w.W2, w.W3, w.W4, w.W5, w.W6, w.W7, w.W8, w.W9, w.W10, w.W11 };
        var bytes = words.SelectMany(BitConverter.GetBytes).ToArray();
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    private static IEnumerable<BigInteger> Values(int seed)
    {
        var rng = new Random(seed);
        foreach (var e in new[] { BigInteger.Zero, BigInteger.One, P - 1, P - 2, (P - 1) / 2 }) yield return e;
        for (int i = 0; i < 60; i++) yield return FieldTests.RandomBelowP(rng);
    }

    [Fact]
    public void MulWideAndRedcMatchBigInteger()
    {
        foreach (var a in Values(21))
        {
            foreach (var b in Values(22).Take(8))
            {
                var fa = Fp.FromRawLimbs(a);
                var fb = Fp.FromRawLimbs(b);
                Fp.MulWide(fa, fb, out var w);
                Assert.Equal(a * b, ToBig(w));
                Fp.Redc(w, out var r);
                Assert.Equal(a * b * RInverse % P, r.ToBigIntegerRaw());
            }
        }
        // Redc at the top of its range: (p·2^384 - 1) reduces correctly.
        var top = P * (BigInteger.One << 384) - 1;
        var tw = Fp.Words(top);
        var wide = new FpWide { W0 = tw[0], W1 = tw[1], W2 = tw[2], W3 = tw[3], W4 = tw[4], W5 = tw[5], W6 = tw[6], W7 = tw[7], W8 = tw[8], W9 = tw[9], W10 = tw[10], W11 = tw[11] };
        Fp.Redc(wide, out var topR);
        Assert.Equal(top * RInverse % P, topR.ToBigIntegerRaw());
    }

    [Fact]
    public void LazyFp2ProductMatchesSchoolbookAtTheEdges()
    {
        var values = Values(23).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            BigInteger a0 = values[i], a1 = values[(i * 7 + 1) % values.Length], b0 = values[(i * 3 + 2) % values.Length], b1 = values[(i * 5 + 4) % values.Length];
            Fp2.Mul(Fp2.FromBigIntegers(a0, a1), Fp2.FromBigIntegers(b0, b1), out var m);
            Assert.Equal(((a0 * b0 - a1 * b1) % P + P) % P, m.C0.ToBigInteger());
            Assert.Equal((a0 * b1 + a1 * b0) % P, m.C1.ToBigInteger());
        }
        // Largest inputs everywhere, and the aliasing the callers rely on (r is also an input).
        var big = Fp2.FromBigIntegers(P - 1, P - 1);
        var x = big;
        Fp2.Mul(x, x, out x);
        Assert.Equal(BigInteger.Zero, x.C0.ToBigInteger());
        Assert.Equal(2 % P, x.C1.ToBigInteger());
    }
}
