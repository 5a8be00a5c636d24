using System.Diagnostics.CodeAnalysis;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.Serialization;

namespace Stele.Crypto.Bls;

/// <summary>
/// A validated public key (KeyValidate: canonical encoding, on the curve, in G1, not the identity).
/// There is no way to build one from unchecked bytes.
/// </summary>
public sealed class BlsPublicKey : IEquatable<BlsPublicKey>
{
    public const int CompressedLength = PointEncoding.G1Compressed;
    public const int UncompressedLength = PointEncoding.G1Uncompressed;

    internal readonly Affine<Fp> Point;
    internal readonly byte[] CompressedBytes;

    internal BlsPublicKey(in Affine<Fp> point)
    {
        Point = point;
        CompressedBytes = new byte[CompressedLength];
        PointEncoding.EncodeG1(point, true, CompressedBytes);
    }

    /// <summary>Decodes 48 (compressed) or 96 (uncompressed) bytes and runs KeyValidate.</summary>
    public static BlsPublicKey FromBytes(ReadOnlySpan<byte> encoded) =>
        TryFromBytes(encoded, out var key, out var error) ? key : throw new BlsFormatException(error, "public key");

    public static bool TryFromBytes(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out BlsPublicKey? key, out BlsError error)
    {
        key = null;
        error = PointEncoding.DecodeG1(encoded, checkSubgroup: true, out var point);
        if (error == BlsError.None && point.IsInfinity) error = BlsError.IdentityPublicKey;
        if (error != BlsError.None) return false;
        key = new BlsPublicKey(point);
        return true;
    }

    public byte[] ToBytes() => (byte[])CompressedBytes.Clone();

    public void WriteBytes(Span<byte> destination) => CompressedBytes.CopyTo(destination);

    public byte[] ToUncompressedBytes()
    {
        var b = new byte[UncompressedLength];
        PointEncoding.EncodeG1(Point, false, b);
        return b;
    }

    public bool Verify(ReadOnlySpan<byte> message, BlsSignature signature) => Bls.Verify(this, message, signature);

    public bool Equals(BlsPublicKey? other) => other is not null && CompressedBytes.AsSpan().SequenceEqual(other.CompressedBytes);

    public override bool Equals(object? obj) => Equals(obj as BlsPublicKey);

    public override int GetHashCode() => BitConverter.ToInt32(CompressedBytes, 40);

    public override string ToString() => Convert.ToHexString(CompressedBytes).ToLowerInvariant();
}
