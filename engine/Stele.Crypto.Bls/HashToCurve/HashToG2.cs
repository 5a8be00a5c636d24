using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.HashToCurve;

/// <summary>hash_to_curve for suite BLS12381G2_XMD:SHA-256_SSWU_RO_ (RFC 9380 §3, §8.8.2).</summary>
internal static class HashToG2
{
    /// <summary>Hashes a message to G2. <paramref name="dst"/> must already be normalised (≤ 255 bytes).</summary>
    internal static void Hash(ReadOnlySpan<byte> msg, ReadOnlySpan<byte> dst, out Point<Fp2> result)
    {
        Span<Fp2> u = stackalloc Fp2[2];
        HashToField.HashToFp2(msg, dst, u);
        MapToCurve(u[0], out var q0);
        MapToCurve(u[1], out var q1);
        Curve<Fp2>.Add(q0, q1, out var r);
        G2.ClearCofactor(r, out result);
    }

    internal static void MapToCurve(in Fp2 u, out Point<Fp2> q)
    {
        SswuG2.Map(u, out var x, out var y);
        IsogenyG2.Map(x, y, out q);
    }
}
