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

    /// <summary>Sums the keys: one mixed addition each, no allocation per key.</summary>
    public static BlsAggregatePublicKey Aggregate(ReadOnlySpan<BlsProvenPublicKey> keys)
    {
        if (keys.IsEmpty) throw new ArgumentException("cannot aggregate an empty list of public keys", nameof(keys));
        var sum = Point<Fp>.Identity;
        foreach (var k in keys)
        {
            ArgumentNullException.ThrowIfNull(k);
            ref readonly var p = ref k.PublicKey.Point;
            Curve<Fp>.AddMixed(sum, p.X, p.Y, out sum);
        }
        return new BlsAggregatePublicKey(Curve<Fp>.ToAffineVartime(sum), keys.Length);
    }

    /// <summary>The aggregate as a 48-byte compressed point (the identity encodes as 0xc0 followed by zeros).</summary>
    public byte[] ToBytes()
    {
        var b = new byte[48];
        Serialization.PointEncoding.EncodeG1(Point, true, b);
        return b;
    }
}
