using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Bls.Field;

/// <summary>
/// Arithmetic on unreduced 768-bit products, so Fp2 multiplication can combine its three products and reduce
/// once per output coefficient. Branch-free, like the rest of the field code (it serves secret paths too).
/// </summary>
internal partial struct FpWide
{
    /// <summary>p² as 12 limbs: adding it leaves the Montgomery reduction's result unchanged mod p.</summary>
    private static readonly FpWide s_pSquared = FromBigInteger(Fp.Modulus * Fp.Modulus);

    private static FpWide FromBigInteger(BigInteger v)
    {
        var w = Fp.Words(v);
        Array.Resize(ref w, 12);
        return new FpWide
        {
            W0 = w[0],
            W1 = w[1],
            W2 = w[2],
            W3 = w[3],
            W4 = w[4],
            W5 = w[5],
            W6 = w[6],
            W7 = w[7],
            W8 = w[8],
            W9 = w[9],
            W10 = w[10],
            W11 = w[11],
        };
    }

    /// <summary>r = a - b; the caller guarantees a ≥ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Sub(in FpWide a, in FpWide b, out FpWide r) => SubWithBorrow(a, b, out r);

    /// <summary>r = a - b, plus p² when that is negative (a, b below p²: the result is below p²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SubModPSquared(in FpWide a, in FpWide b, out FpWide r)
    {
        ulong mask = 0UL - SubWithBorrow(a, b, out var d); // all ones when a < b: d wrapped, add p² back
        ref readonly var q = ref s_pSquared;
        ulong c = 0;
        r.W0 = Fp.Adc(d.W0, q.W0 & mask, ref c); r.W1 = Fp.Adc(d.W1, q.W1 & mask, ref c); r.W2 = Fp.Adc(d.W2, q.W2 & mask, ref c);
        r.W3 = Fp.Adc(d.W3, q.W3 & mask, ref c); r.W4 = Fp.Adc(d.W4, q.W4 & mask, ref c); r.W5 = Fp.Adc(d.W5, q.W5 & mask, ref c);
        r.W6 = Fp.Adc(d.W6, q.W6 & mask, ref c); r.W7 = Fp.Adc(d.W7, q.W7 & mask, ref c); r.W8 = Fp.Adc(d.W8, q.W8 & mask, ref c);
        r.W9 = Fp.Adc(d.W9, q.W9 & mask, ref c); r.W10 = Fp.Adc(d.W10, q.W10 & mask, ref c); r.W11 = Fp.Adc(d.W11, q.W11 & mask, ref c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubWithBorrow(in FpWide a, in FpWide b, out FpWide r)
    {
        ulong br = 0;
        r.W0 = Fp.Sbb(a.W0, b.W0, ref br); r.W1 = Fp.Sbb(a.W1, b.W1, ref br); r.W2 = Fp.Sbb(a.W2, b.W2, ref br);
        r.W3 = Fp.Sbb(a.W3, b.W3, ref br); r.W4 = Fp.Sbb(a.W4, b.W4, ref br); r.W5 = Fp.Sbb(a.W5, b.W5, ref br);
        r.W6 = Fp.Sbb(a.W6, b.W6, ref br); r.W7 = Fp.Sbb(a.W7, b.W7, ref br); r.W8 = Fp.Sbb(a.W8, b.W8, ref br);
        r.W9 = Fp.Sbb(a.W9, b.W9, ref br); r.W10 = Fp.Sbb(a.W10, b.W10, ref br); r.W11 = Fp.Sbb(a.W11, b.W11, ref br);
        return br;
    }
}
