using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.Serialization;

namespace Stele.Crypto.Bls;

/// <summary>A proof of possession: a signature over the compressed public key under the POP DST (validated G2 point).</summary>
public sealed class BlsProofOfPossession
{
    public const int CompressedLength = PointEncoding.G2Compressed;

    internal readonly Affine<Fp2> Point;

    internal BlsProofOfPossession(in Affine<Fp2> point) => Point = point;

    /// <summary>Decodes 96 or 192 bytes with the subgroup check.</summary>
    public static BlsProofOfPossession FromBytes(ReadOnlySpan<byte> encoded)
    {
        var error = PointEncoding.DecodeG2(encoded, checkSubgroup: true, out var point);
        if (error != BlsError.None) throw new BlsFormatException(error, "proof of possession");
        return new BlsProofOfPossession(point);
    }

    public byte[] ToBytes()
    {
        var b = new byte[CompressedLength];
        PointEncoding.EncodeG2(Point, true, b);
        return b;
    }

    public override string ToString() => Convert.ToHexString(ToBytes()).ToLowerInvariant();
}
