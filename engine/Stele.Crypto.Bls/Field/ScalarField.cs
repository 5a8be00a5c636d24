using System.Buffers.Binary;
using System.Numerics;

namespace Stele.Crypto.Bls.Field;

/// <summary>
/// Constant-time helpers for secret scalars modulo the group order r (4×64-bit limbs).
/// Used by KeyGen (OS2IP(OKM) mod r) and secret-key validation; no branch depends on the values.
/// </summary>
internal static class ScalarField
{
    internal static readonly BigInteger Order = BigInteger.Parse(
        "073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);

    private static readonly ulong[] s_r = Fp.Words(Order);
    private static readonly ulong[] s_r2 = Fp.Words(BigInteger.ModPow(2, 512, Order)); // R² mod r, R = 2^256
    private const ulong RInv = 0xfffffffeffffffff; // -r^-1 mod 2^64

    private static ulong Adc(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        carry = c1 | (r < s ? 1UL : 0UL);
        return r;
    }

    private static ulong Sbb(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        borrow = b1 | (d < borrow ? 1UL : 0UL);
        return r;
    }

    /// <summary>x ← x - r if x ≥ r (x below 2^256). Branch-free.</summary>
    private static void SubtractOnce(Span<ulong> x)
    {
        Span<ulong> t = stackalloc ulong[4];
        ulong br = 0;
        for (int i = 0; i < 4; i++) t[i] = Sbb(x[i], s_r[i], ref br);
        ulong keep = 0UL - br;
        for (int i = 0; i < 4; i++) x[i] = (x[i] & keep) | (t[i] & ~keep);
        t.Clear();
    }

    /// <summary>Montgomery product a·b·2^-256 mod r (CIOS with an extra carry word), result below r.</summary>
    private static void MontMul(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result)
    {
        Span<ulong> t = stackalloc ulong[6];
        t.Clear();
        for (int i = 0; i < 4; i++)
        {
            ulong c = 0;
            for (int j = 0; j < 4; j++)
            {
                ulong hi = Math.BigMul(a[j], b[i], out ulong lo);
                ulong cc = 0;
                lo = Adc(lo, t[j], ref cc); hi += cc; cc = 0;
                lo = Adc(lo, c, ref cc); hi += cc;
                t[j] = lo; c = hi;
            }
            ulong c2 = 0;
            t[4] = Adc(t[4], c, ref c2);
            t[5] = c2;
            ulong m = t[0] * RInv;
            c = 0;
            for (int j = 0; j < 4; j++)
            {
                ulong hi = Math.BigMul(m, s_r[j], out ulong lo);
                ulong cc = 0;
                lo = Adc(lo, t[j], ref cc); hi += cc; cc = 0;
                lo = Adc(lo, c, ref cc); hi += cc;
                t[j] = lo; c = hi;
            }
            c2 = 0;
            t[4] = Adc(t[4], c, ref c2);
            t[5] += c2;
            for (int j = 0; j < 5; j++) t[j] = t[j + 1];
            t[5] = 0;
        }
        // t < 2r < 2^256 here, so t[4] is zero.
        for (int i = 0; i < 4; i++) result[i] = t[i];
        SubtractOnce(result);
        t.Clear();
    }

    /// <summary>OS2IP(48 big-endian bytes) mod r, written as 32 little-endian bytes. Constant-time.</summary>
    internal static void ReduceWide(ReadOnlySpan<byte> be48, Span<byte> le32)
    {
        Span<ulong> hi = stackalloc ulong[4];
        Span<ulong> lo = stackalloc ulong[4];
        Span<ulong> hiR = stackalloc ulong[4];
        hi[0] = BinaryPrimitives.ReadUInt64BigEndian(be48[8..]);
        hi[1] = BinaryPrimitives.ReadUInt64BigEndian(be48);
        hi[2] = 0; hi[3] = 0;
        for (int i = 0; i < 4; i++) lo[i] = BinaryPrimitives.ReadUInt64BigEndian(be48[(40 - 8 * i)..]);
        SubtractOnce(lo); SubtractOnce(lo); // lo < 2^256 < 3r
        MontMul(hi, s_r2, hiR);             // hi·2^256 mod r
        ulong c = 0;
        for (int i = 0; i < 4; i++) lo[i] = Adc(lo[i], hiR[i], ref c);
        SubtractOnce(lo);                   // sum < 2r < 2^256
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt64LittleEndian(le32[(8 * i)..], lo[i]);
        hi.Clear(); lo.Clear(); hiR.Clear();
    }

    /// <summary>All-ones if 0 &lt; k &lt; r for 32 little-endian bytes, else zero. Constant-time.</summary>
    internal static ulong IsValidSecretMask(ReadOnlySpan<byte> le32)
    {
        ulong br = 0, nz = 0;
        for (int i = 0; i < 4; i++)
        {
            ulong w = BinaryPrimitives.ReadUInt64LittleEndian(le32[(8 * i)..]);
            nz |= w;
            Sbb(w, s_r[i], ref br);
        }
        ulong nonZero = (nz | (0UL - nz)) >> 63;
        return 0UL - (br & nonZero);
    }
}
