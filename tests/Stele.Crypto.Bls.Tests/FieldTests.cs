using System.Numerics;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Tests;

public class FieldTests
{
    private static readonly BigInteger P = Fp.Modulus;

    internal static BigInteger RandomBelowP(Random rng)
    {
        var bytes = new byte[48];
        rng.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % P;
    }

    internal static Fp2 RandomFp2(Random rng) => Fp2.FromBigIntegers(RandomBelowP(rng), RandomBelowP(rng));

    internal static Fp6 RandomFp6(Random rng) => new(RandomFp2(rng), RandomFp2(rng), RandomFp2(rng));

    internal static Fp12 RandomFp12(Random rng) => new(RandomFp6(rng), RandomFp6(rng));

    [Fact]
    public void MontgomeryConstantsMatchTheModulus()
    {
        Assert.Equal(P, Fp.FromRawLimbs(P).ToBigIntegerRaw());
        Assert.Equal(BigInteger.Zero, (P * Fp.Inv + 1) % (BigInteger.One << 64));
        Assert.Equal(BigInteger.One, Fp.One.ToBigInteger());
    }

    [Fact]
    public void FpArithmeticMatchesBigInteger()
    {
        var rng = new Random(1);
        var edge = new[] { BigInteger.Zero, BigInteger.One, P - 1, P - 2, (P - 1) / 2 };
        for (int i = 0; i < 300; i++)
        {
            var a = i < 25 ? edge[i % 5] : RandomBelowP(rng);
            var b = i < 25 ? edge[i / 5] : RandomBelowP(rng);
            var fa = Fp.FromBigInteger(a);
            var fb = Fp.FromBigInteger(b);
            Fp.Mul(fa, fb, out var m); Assert.Equal(a * b % P, m.ToBigInteger());
            Fp.Add(fa, fb, out var s); Assert.Equal((a + b) % P, s.ToBigInteger());
            Fp.Sub(fa, fb, out var d); Assert.Equal(((a - b) % P + P) % P, d.ToBigInteger());
            Fp.Neg(fa, out var n); Assert.Equal((P - a) % P, n.ToBigInteger());
            Fp.Square(fa, out var q); Assert.Equal(a * a % P, q.ToBigInteger());
        }
    }

    [Fact]
    public void FpInverseAndSquareRoot()
    {
        var rng = new Random(2);
        for (int i = 0; i < 20; i++)
        {
            var a = RandomBelowP(rng);
            var fa = Fp.FromBigInteger(a);
            Fp.Inverse(fa, out var inv);
            Fp.Mul(inv, fa, out var one);
            Assert.True(Fp.Equal(one, Fp.One));
            bool isSquare = BigInteger.ModPow(a, (P - 1) / 2, P) == 1;
            Assert.Equal(isSquare, Fp.Sqrt(fa, out var root));
            Assert.Equal(isSquare, Fp.IsSquare(fa));
            if (isSquare) Assert.Equal(a, root.ToBigInteger() * root.ToBigInteger() % P);
        }
    }

    [Fact]
    public void WideReductionMatchesBigInteger()
    {
        var rng = new Random(3);
        var bytes = new byte[64];
        for (int i = 0; i < 100; i++)
        {
            rng.NextBytes(bytes);
            if (i == 0) Array.Fill(bytes, (byte)0xFF);
            Fp.FromBigEndianWide(bytes, out var r);
            Assert.Equal(new BigInteger(bytes, isUnsigned: true, isBigEndian: true) % P, r.ToBigInteger());
        }
    }

    [Fact]
    public void CanonicalEncodingRejectsValuesAtOrAboveP()
    {
        var pBytes = P.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.False(Fp.TryFromBigEndian(pBytes, out _));
        var below = (P - 1).ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.True(Fp.TryFromBigEndian(below, out var v));
        Span<byte> round = stackalloc byte[48];
        v.ToBigEndian(round);
        Assert.Equal(below, round.ToArray());
    }

    [Fact]
    public void Fp2MultiplicationMatchesSchoolbook()
    {
        var rng = new Random(4);
        for (int i = 0; i < 50; i++)
        {
            BigInteger a0 = RandomBelowP(rng), a1 = RandomBelowP(rng), b0 = RandomBelowP(rng), b1 = RandomBelowP(rng);
            Fp2.Mul(Fp2.FromBigIntegers(a0, a1), Fp2.FromBigIntegers(b0, b1), out var m);
            Assert.Equal(((a0 * b0 - a1 * b1) % P + P) % P, m.C0.ToBigInteger());
            Assert.Equal((a0 * b1 + a1 * b0) % P, m.C1.ToBigInteger());
            Fp2.Square(Fp2.FromBigIntegers(a0, a1), out var s);
            Fp2.Mul(Fp2.FromBigIntegers(a0, a1), Fp2.FromBigIntegers(a0, a1), out var s2);
            Assert.True(Fp2.Equal(s, s2));
        }
    }

    [Fact]
    public void Fp2InverseAndSquareRoot()
    {
        var rng = new Random(5);
        int squares = 0;
        for (int i = 0; i < 20; i++)
        {
            var a = RandomFp2(rng);
            Fp2.Inverse(a, out var inv);
            Fp2.Mul(a, inv, out var one);
            Assert.True(Fp2.Equal(one, Fp2.One));
            Fp2.Square(a, out var sq);
            Assert.True(Fp2.Sqrt(sq, out var root));
            Fp2.Square(root, out var back);
            Assert.True(Fp2.Equal(back, sq));
            if (Fp2.Sqrt(a, out _)) squares++;
        }
        Assert.InRange(squares, 2, 18); // about half of Fp2 is square
    }

    [Fact]
    public void Fp6AndFp12AreFieldsWithWorkingFrobenius()
    {
        var rng = new Random(6);
        for (int i = 0; i < 5; i++)
        {
            var a = RandomFp12(rng);
            var b = RandomFp12(rng);
            var c = RandomFp12(rng);
            Fp12.Mul(a, b, out var ab); Fp12.Mul(ab, c, out var abc1);
            Fp12.Mul(b, c, out var bc); Fp12.Mul(a, bc, out var abc2);
            Assert.True(Fp12.Equal(abc1, abc2));
            Fp12.Square(a, out var sq); Fp12.Mul(a, a, out var aa);
            Assert.True(Fp12.Equal(sq, aa));
            Fp12.Inverse(a, out var inv); Fp12.Mul(a, inv, out var one);
            Assert.True(one.IsOne);
            Fp6.Square(a.C0, out var s6); Fp6.Mul(a.C0, a.C0, out var m6);
            Assert.True(Fp6.Equal(s6, m6));
        }
        var x = RandomFp12(rng);
        var xp = Fp12.Pow(x, P);
        Fp12.Frobenius(x, 1, out var f1);
        Assert.True(Fp12.Equal(xp, f1));
        Fp12.Frobenius(x, 2, out var f2);
        Assert.True(Fp12.Equal(Fp12.Pow(xp, P), f2));
        Fp12.Frobenius(f2, 1, out var f21);
        Fp12.Frobenius(x, 3, out var f3);
        Assert.True(Fp12.Equal(f21, f3));
    }

    [Fact]
    public void SparseLineMultiplicationMatchesFullMultiplication()
    {
        var rng = new Random(7);
        var f = RandomFp12(rng);
        Fp2 a0 = RandomFp2(rng), a1 = RandomFp2(rng), b1 = RandomFp2(rng);
        var line = new Fp12(new Fp6(a0, a1, Fp2.Zero), new Fp6(Fp2.Zero, b1, Fp2.Zero));
        Fp12.Mul(f, line, out var full);
        var sparse = f;
        Fp12.MulBy014(ref sparse, a0, a1, b1);
        Assert.True(Fp12.Equal(full, sparse));
    }

    [Fact]
    public void CyclotomicSquareMatchesSquareInTheCyclotomicSubgroup()
    {
        var g = CompressedCyclotomicTests.RandomCyclotomic(new Random(8));
        Fp12.Square(g, out var s1);
        Fp12.CyclotomicSquare(g, out var s2);
        Assert.True(Fp12.Equal(s1, s2));
    }
}
