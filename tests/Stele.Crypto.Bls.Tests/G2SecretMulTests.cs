using System.Numerics;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Tests;

public class G2SecretMulTests
{
    private static readonly BigInteger AbsX = Curve<Fp>.AbsX;

    private static byte[] Le32(BigInteger k)
    {
        var b = new byte[32];
        k.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return b;
    }

    [Fact]
    public void DigitsInBaseAbsXRebuildTheScalar()
    {
        var rng = new Random(41);
        var cases = new List<BigInteger> { 0, 1, AbsX - 1, AbsX, AbsX * AbsX, BigInteger.Pow(AbsX, 3) - 1, CurveTests.R - 1 };
        for (int i = 0; i < 20; i++)
        {
            var bytes = new byte[32];
            rng.NextBytes(bytes);
            cases.Add(new BigInteger(bytes, isUnsigned: true) % CurveTests.R);
        }
        Span<ulong> digits = stackalloc ulong[4];
        foreach (var k in cases)
        {
            G2SecretMul.SplitByAbsX(Le32(k), digits);
            BigInteger rebuilt = 0;
            for (int i = 3; i >= 0; i--)
            {
                Assert.True(digits[i] < Curve<Fp>.AbsX);
                rebuilt = rebuilt * AbsX + digits[i];
            }
            Assert.Equal(k, rebuilt);
        }
    }

    [Fact]
    public void PsiSplitMultiplicationMatchesDoubleAndAdd()
    {
        var rng = new Random(42);
        Curve<Fp2>.MulVartime(Curve<Fp2>.FromAffine(G2.Generator), Fp.Words(new BigInteger(0xfeedbeef)), out var p);
        var scalars = new List<BigInteger> { 1, 2, AbsX, AbsX + 1, BigInteger.Pow(AbsX, 3), CurveTests.R - 1 };
        for (int i = 0; i < 6; i++)
        {
            var bytes = new byte[32];
            rng.NextBytes(bytes);
            scalars.Add(new BigInteger(bytes, isUnsigned: true) % CurveTests.R);
        }
        foreach (var k in scalars)
        {
            G2SecretMul.Mul(p, Le32(k), out var fast);
            Curve<Fp2>.MulVartime(p, Fp.Words(k), out var slow);
            Assert.True(Curve<Fp2>.Equal(fast, slow), $"k = {k}");
        }
        G2SecretMul.Mul(p, new byte[32], out var zero);
        Assert.True(zero.IsIdentity);
        Curve<Fp2>.Neg(p, out var minusP);
        G2SecretMul.Mul(p, Le32(CurveTests.R - 1), out var last);
        Assert.True(Curve<Fp2>.Equal(last, minusP));
    }
}
