using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Tests;

/// <summary>Batched affine summation (public-key and signature aggregation) equals a plain projective sum, special cases included.</summary>
public class BatchSumTests
{
    /// <summary>Multiples k·G for the given k (negative k gives -|k|·G).</summary>
    private static Affine<F>[] Multiples<F>(Affine<F> generator, int[] ks) where F : unmanaged, IField<F>
    {
        var g = Curve<F>.FromAffine(generator);
        return ks.Select(k =>
        {
            Curve<F>.MulVartime(g, [(ulong)Math.Abs(k)], out var p);
            if (k < 0) Curve<F>.Neg(p, out p);
            return Curve<F>.ToAffine(p);
        }).ToArray();
    }

    private static void SumMatches<F>(Affine<F> generator, int[] ks) where F : unmanaged, IField<F>
    {
        var points = Multiples(generator, ks);
        var expected = Point<F>.Identity;
        foreach (var p in points) Curve<F>.AddAffine(expected, p, out expected);
        var xs = points.Select(p => p.X).ToArray();
        var ys = points.Select(p => p.Y).ToArray();
        var acc = Point<F>.Identity;
        AffineBatchSum<F>.Sum(xs, ys, points.Length, new F[points.Length], ref acc);
        Assert.True(Curve<F>.Equal(expected, acc), $"sum of [{string.Join(", ", ks)}]");
        var total = ks.Sum();
        Curve<F>.MulVartime(Curve<F>.FromAffine(generator), [(ulong)Math.Abs(total)], out var direct);
        if (total < 0) Curve<F>.Neg(direct, out direct);
        Assert.True(Curve<F>.Equal(direct, acc));
    }

    public static TheoryData<int[]> Cases => new()
    {
        new[] { 5 },
        new[] { 1, 2 },
        new[] { 3, 3 },                          // P = Q at the first level
        new[] { 4, -4 },                         // P = -Q: the pair sums to the identity
        new[] { 1, 2, 3, 4, 5, 6, 7 },
        new[] { 1, 1, 2, 2, 4, 4, 8, 8, 16 },    // equal sums again at the next levels
        new[] { 7, -7, 7, -7, 7, -7, 7, -7, 1 }, // everything cancels but one
        Enumerable.Range(1, 300).ToArray(),
        Enumerable.Range(1, 257).Select(i => i % 3 == 0 ? -i : i).ToArray(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void G1BatchSumEqualsProjectiveSum(int[] ks) => SumMatches(G1.Generator, ks);

    [Theory]
    [MemberData(nameof(Cases))]
    public void G2BatchSumEqualsProjectiveSum(int[] ks) => SumMatches(G2.Generator, ks);

    [Fact]
    public void AggregatorAcrossChunkBoundariesMatchesTheSum()
    {
        using var key = BlsSecretKey.KeyGen(Enumerable.Range(0, 32).Select(i => (byte)(i + 9)).ToArray());
        var message = new byte[] { 1, 2, 3 };
        // Signer i has key i·sk, so the sum of 600 signatures is (600·601/2)·sk·H(m): 3 buffer flushes.
        var (keys, sigs) = BenchmarkFixtures.SignersOfOneMessage(key, message, 600);
        var aggregator = new BlsSignatureAggregator();
        foreach (var s in sigs) aggregator.Add(s.ToBytes());
        var aggregate = aggregator.ToSignature();
        Assert.Equal(600, aggregator.Count);
        Assert.True(Bls.FastAggregateVerify(keys, message, aggregate));
        Curve<Fp2>.MulVartime(Curve<Fp2>.FromAffine(sigs[0].Point), [600UL * 601 / 2], out var expected);
        Assert.True(Curve<Fp2>.Equal(expected, Curve<Fp2>.FromAffine(aggregate.Point)));
        var aggregateKey = BlsAggregatePublicKey.Aggregate(keys);
        Curve<Fp>.MulVartime(Curve<Fp>.FromAffine(keys[0].PublicKey.Point), [600UL * 601 / 2], out var expectedKey);
        Assert.True(Curve<Fp>.Equal(expectedKey, Curve<Fp>.FromAffine(aggregateKey.Point)));
        Assert.Equal(600, aggregateKey.Count);
    }
}

/// <summary>The Jacobian multiplication by public 64-bit weights (batch verification) equals double-and-add.</summary>
public class JacobianMulTests
{
    private static void Matches<F>(Affine<F> generator) where F : unmanaged, IField<F>
    {
        var g = Curve<F>.FromAffine(generator);
        Curve<F>.MulVartime(g, [12345UL], out var p); // a point with Z ≠ 1
        foreach (var k in new ulong[] { 0, 1, 2, 3, 0x8000000000000000, ulong.MaxValue, 0xd201000000010000, 0x0123456789abcdef })
        {
            Jacobian<F>.Mul(p, k, out var fast);
            Curve<F>.MulVartime(p, [k], out var slow);
            Assert.True(Curve<F>.Equal(fast, slow), $"k = {k:x}");
        }
        Jacobian<F>.Mul(Point<F>.Identity, 5, out var id);
        Assert.True(id.IsIdentity);
    }

    [Fact]
    public void G1() => Matches(Curve.G1.Generator);

    [Fact]
    public void G2() => Matches(Curve.G2.Generator);
}
