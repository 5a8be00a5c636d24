using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.HashToCurve;

/// <summary>hash_to_field for Fp2 with L = 64 (RFC 9380 §5.2).</summary>
internal static class HashToField
{
    private const int L = 64;

    internal static void HashToFp2(ReadOnlySpan<byte> msg, ReadOnlySpan<byte> dst, Span<Fp2> output)
    {
        Span<byte> uniform = stackalloc byte[output.Length * 2 * L];
        ExpandMessageXmd.Expand(msg, dst, uniform);
        for (int i = 0; i < output.Length; i++)
        {
            Fp.FromBigEndianWide(uniform.Slice((2 * i) * L, L), out output[i].C0);
            Fp.FromBigEndianWide(uniform.Slice((2 * i + 1) * L, L), out output[i].C1);
        }
    }
}
