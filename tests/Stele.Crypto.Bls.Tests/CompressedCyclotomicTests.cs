using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.Pairing;

namespace Stele.Crypto.Bls.Tests;

public class CompressedCyclotomicTests
{
    /// <summary>f^((p^6-1)(p^2+1)): an element of the cyclotomic subgroup.</summary>
    internal static Fp12 RandomCyclotomic(Random rng)
    {
        var f = FieldTests.RandomFp12(rng);
        Fp12.Conjugate(f, out var c); Fp12.Inverse(f, out var inv); Fp12.Mul(c, inv, out var g);
        Fp12.Frobenius(g, 2, out var g2); Fp12.Mul(g2, g, out g);
        return g;
    }

    [Fact]
    public void CompressedSquaringsDecompressToTheGrangerScottSquares()
    {
        var rng = new Random(31);
        for (int trial = 0; trial < 4; trial++)
        {
            var g = RandomCyclotomic(rng);
            var c = CompressedCyclotomic.From(g);
            var expected = new Fp12[3];
            var snapshots = new CompressedCyclotomic[3];
            for (int k = 1; k <= 9; k++)
            {
                Fp12.CyclotomicSquare(g, out g);
                c.Square();
                if (k % 3 == 0) { expected[k / 3 - 1] = g; snapshots[k / 3 - 1] = c; }
            }
            var result = new Fp12[3];
            Assert.True(CompressedCyclotomic.TryDecompress(snapshots, result));
            for (int i = 0; i < 3; i++) Assert.True(Fp12.Equal(expected[i], result[i]), $"trial {trial}, snapshot {i}");
        }
    }

    [Fact]
    public void DecompressionRefusesTheDegenerateOne()
    {
        var result = new Fp12[1];
        Assert.False(CompressedCyclotomic.TryDecompress([CompressedCyclotomic.From(Fp12.One)], result));
    }

    [Fact]
    public void ExpByXAgreesWithSquareAndMultiplyIncludingTheFallback()
    {
        var rng = new Random(32);
        for (int trial = 0; trial < 3; trial++)
        {
            var g = RandomCyclotomic(rng);
            FinalExponentiation.ExpByX(g, out var fast);
            FinalExponentiation.ExpByXUncompressed(g, out var slow);
            Assert.True(Fp12.Equal(fast, slow));
        }
        FinalExponentiation.ExpByX(Fp12.One, out var one);
        Assert.True(one.IsOne);
    }
}
