using System.Buffers;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls;

/// <summary>The sum of proven public keys, for FastAggregateVerify. Built only from <see cref="BlsProvenPublicKey"/>s.</summary>
public sealed class BlsAggregatePublicKey
{
    internal readonly Affine<Fp> Point;

    private BlsAggregatePublicKey(in Affine<Fp> point, int count)
    {
        Point = point;
        Count = count;
    }

    /// <summary>How many keys were summed.</summary>
    public int Count { get; }

    /// <summary>
    /// Sums the keys by batched affine additions (one shared inversion per level of pairs) in pooled
    /// buffers: no allocation per key. Keys are public, so this path is variable-time.
    /// </summary>
    public static BlsAggregatePublicKey Aggregate(ReadOnlySpan<BlsProvenPublicKey> keys)
    {
        if (keys.IsEmpty) throw new ArgumentException("cannot aggregate an empty list of public keys", nameof(keys));
        int n = keys.Length;
        var pool = ArrayPool<Fp>.Shared;
        var xs = pool.Rent(n);
        var ys = pool.Rent(n);
        var scratch = pool.Rent(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                ArgumentNullException.ThrowIfNull(keys[i]);
                ref readonly var p = ref keys[i].PublicKey.Point;
                xs[i] = p.X;
                ys[i] = p.Y;
            }
            var sum = Point<Fp>.Identity;
            AffineBatchSum<Fp>.Sum(xs, ys, n, scratch, ref sum);
            return new BlsAggregatePublicKey(Curve<Fp>.ToAffineVartime(sum), n);
        }
        finally
        {
            pool.Return(xs);
            pool.Return(ys);
            pool.Return(scratch);
        }
    }

    /// <summary>The aggregate as a 48-byte compressed point (the identity encodes as 0xc0 followed by zeros).</summary>
    public byte[] ToBytes()
    {
        var b = new byte[48];
        Serialization.PointEncoding.EncodeG1(Point, true, b);
        return b;
    }
}
