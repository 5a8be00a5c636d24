using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Serialization;

/// <summary>
/// The ZCash serialisation of BLS12-381 points. The three top bits of the first byte are flags:
/// 0x80 compressed, 0x40 point at infinity, 0x20 sign (y is the lexicographically larger root; compressed only).
/// G2 coordinates are written imaginary part first (c1 ‖ c0). Decoding is strict: every bit is checked.
/// </summary>
internal static class PointEncoding
{
    internal const int G1Compressed = 48, G1Uncompressed = 96, G2Compressed = 96, G2Uncompressed = 192;
    private const byte CompressionFlag = 0x80, InfinityFlag = 0x40, SignFlag = 0x20, FlagMask = 0xE0;

    /// <summary>Reads the flags and checks them against the length; on success returns whether the point is infinity.</summary>
    private static BlsError CheckFlags(ReadOnlySpan<byte> src, bool compressed, out bool infinity, out bool sign)
    {
        byte flags = src[0];
        infinity = (flags & InfinityFlag) != 0;
        sign = (flags & SignFlag) != 0;
        if (((flags & CompressionFlag) != 0) != compressed) return BlsError.CompressionFlagMismatch;
        if (infinity)
        {
            if (sign) return BlsError.UnexpectedSignFlag;
            if ((flags & ~FlagMask) != 0 || src[1..].ContainsAnyExcept((byte)0)) return BlsError.NonCanonicalInfinity;
            return BlsError.None;
        }
        if (!compressed && sign) return BlsError.UnexpectedSignFlag;
        return BlsError.None;
    }

    private static bool ReadFp(ReadOnlySpan<byte> src48, bool stripFlags, out Fp value)
    {
        Span<byte> buf = stackalloc byte[48];
        src48.CopyTo(buf);
        if (stripFlags) buf[0] &= 0x1F;
        return Fp.TryFromBigEndian(buf, out value);
    }

    /// <summary>Decodes a G1 point (48 or 96 bytes): flags, canonical coordinates, on-curve; subgroup if asked.</summary>
    internal static BlsError DecodeG1(ReadOnlySpan<byte> src, bool checkSubgroup, out Affine<Fp> point)
    {
        point = Affine<Fp>.Infinity;
        bool compressed;
        if (src.Length == G1Compressed) compressed = true;
        else if (src.Length == G1Uncompressed) compressed = false;
        else return BlsError.WrongLength;

        var err = CheckFlags(src, compressed, out bool infinity, out bool sign);
        if (err != BlsError.None || infinity) return err;

        if (!ReadFp(src[..48], true, out var x)) return BlsError.CoordinateNotCanonical;
        Fp y;
        if (compressed)
        {
            Fp.Square(x, out var rhs); Fp.Mul(rhs, x, out rhs); Fp.Add(rhs, Fp.CurveB, out rhs);
            if (!Fp.Sqrt(rhs, out y)) return BlsError.NotOnCurve;
            if (y.IsLexicographicallyLargest() != sign) Fp.Neg(y, out y);
        }
        else
        {
            if (!ReadFp(src[48..], false, out y)) return BlsError.CoordinateNotCanonical;
            if (!Curve<Fp>.IsOnCurve(x, y)) return BlsError.NotOnCurve;
        }
        point = new Affine<Fp>(x, y);
        if (checkSubgroup && !G1.IsInSubgroup(Curve<Fp>.FromAffine(point))) return BlsError.NotInSubgroup;
        return BlsError.None;
    }

    /// <summary>Decodes a G2 point (96 or 192 bytes): flags, canonical coordinates, on-curve; subgroup if asked.</summary>
    internal static BlsError DecodeG2(ReadOnlySpan<byte> src, bool checkSubgroup, out Affine<Fp2> point)
    {
        point = Affine<Fp2>.Infinity;
        bool compressed;
        if (src.Length == G2Compressed) compressed = true;
        else if (src.Length == G2Uncompressed) compressed = false;
        else return BlsError.WrongLength;

        var err = CheckFlags(src, compressed, out bool infinity, out bool sign);
        if (err != BlsError.None || infinity) return err;

        if (!ReadFp(src[..48], true, out var x1) || !ReadFp(src[48..96], false, out var x0)) return BlsError.CoordinateNotCanonical;
        var x = new Fp2(x0, x1);
        Fp2 y;
        if (compressed)
        {
            Fp2.Square(x, out var rhs); Fp2.Mul(rhs, x, out rhs); Fp2.Add(rhs, Fp2.CurveB, out rhs);
            if (!Fp2.Sqrt(rhs, out y)) return BlsError.NotOnCurve;
            if (y.IsLexicographicallyLargest() != sign) Fp2.Neg(y, out y);
        }
        else
        {
            if (!ReadFp(src[96..144], false, out var y1) || !ReadFp(src[144..], false, out var y0)) return BlsError.CoordinateNotCanonical;
            y = new Fp2(y0, y1);
            if (!Curve<Fp2>.IsOnCurve(x, y)) return BlsError.NotOnCurve;
        }
        point = new Affine<Fp2>(x, y);
        if (checkSubgroup && !G2.IsInSubgroup(Curve<Fp2>.FromAffine(point))) return BlsError.NotInSubgroup;
        return BlsError.None;
    }

    internal static void EncodeG1(in Affine<Fp> p, bool compressed, Span<byte> dst)
    {
        int len = compressed ? G1Compressed : G1Uncompressed;
        dst = dst[..len];
        dst.Clear();
        if (p.IsInfinity)
        {
            dst[0] = (byte)((compressed ? CompressionFlag : 0) | InfinityFlag);
            return;
        }
        p.X.ToBigEndian(dst);
        if (compressed)
        {
            dst[0] |= CompressionFlag;
            if (p.Y.IsLexicographicallyLargest()) dst[0] |= SignFlag;
        }
        else
        {
            p.Y.ToBigEndian(dst[48..]);
        }
    }

    internal static void EncodeG2(in Affine<Fp2> p, bool compressed, Span<byte> dst)
    {
        int len = compressed ? G2Compressed : G2Uncompressed;
        dst = dst[..len];
        dst.Clear();
        if (p.IsInfinity)
        {
            dst[0] = (byte)((compressed ? CompressionFlag : 0) | InfinityFlag);
            return;
        }
        p.X.C1.ToBigEndian(dst);
        p.X.C0.ToBigEndian(dst[48..]);
        if (compressed)
        {
            dst[0] |= CompressionFlag;
            if (p.Y.IsLexicographicallyLargest()) dst[0] |= SignFlag;
        }
        else
        {
            p.Y.C1.ToBigEndian(dst[96..]);
            p.Y.C0.ToBigEndian(dst[144..]);
        }
    }
}
