using System.Diagnostics.CodeAnalysis;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.Serialization;

namespace Stele.Crypto.Bls;

/// <summary>A validated signature: canonical encoding, on the curve, in G2 (the identity is a valid point).</summary>
public sealed class BlsSignature : IEquatable<BlsSignature>
{
    public const int CompressedLength = PointEncoding.G2Compressed;
    public const int UncompressedLength = PointEncoding.G2Uncompressed;

    internal readonly Affine<Fp2> Point;

    internal BlsSignature(in Affine<Fp2> point) => Point = point;

    /// <summary>Decodes 96 (compressed) or 192 (uncompressed) bytes, with the subgroup check.</summary>
    public static BlsSignature FromBytes(ReadOnlySpan<byte> encoded) =>
        TryFromBytes(encoded, out var s, out var error) ? s : throw new BlsFormatException(error, "signature");

    public static bool TryFromBytes(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out BlsSignature? signature, out BlsError error)
    {
        signature = null;
        error = PointEncoding.DecodeG2(encoded, checkSubgroup: true, out var point);
        if (error != BlsError.None) return false;
        signature = new BlsSignature(point);
        return true;
    }

    public byte[] ToBytes()
    {
        var b = new byte[CompressedLength];
        PointEncoding.EncodeG2(Point, true, b);
        return b;
    }

    public void WriteBytes(Span<byte> destination) => PointEncoding.EncodeG2(Point, true, destination);

    public byte[] ToUncompressedBytes()
    {
        var b = new byte[UncompressedLength];
        PointEncoding.EncodeG2(Point, false, b);
        return b;
    }

    public void WriteUncompressedBytes(Span<byte> destination) => PointEncoding.EncodeG2(Point, false, destination);

    public bool Equals(BlsSignature? other) => other is not null && ToBytes().AsSpan().SequenceEqual(other.ToBytes());

    public override bool Equals(object? obj) => Equals(obj as BlsSignature);

    public override int GetHashCode() => BitConverter.ToInt32(ToBytes(), 88);

    public override string ToString() => Convert.ToHexString(ToBytes()).ToLowerInvariant();
}
