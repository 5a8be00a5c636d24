using System.Numerics;

namespace Stele.Crypto.Bls.Field;

/// <summary>
/// Variable-time inversion and quadratic-residuosity test for PUBLIC values only (decoding, hashing,
/// verification, aggregation). Both run a binary GCD on the raw limbs instead of a 381-bit
/// exponentiation: a few hundred shift/subtract steps cost far less than ~470 Montgomery products.
/// Their running time depends on the value, so nothing secret may ever reach them.
/// </summary>
internal partial struct Fp
{
    // s_inverseFix[k] = 2^(3·384 - k) mod p as raw limbs: one Montgomery product by it turns the
    // almost-inverse a^-1·2^k of the raw limbs back into Montgomery form (see InverseVartime).
    private static readonly Fp[] s_inverseFix = BuildInverseFix();

    private static Fp[] BuildInverseFix()
    {
        var table = new Fp[2 * 384 + 1];
        var half = (Modulus + 1) / 2;
        var v = BigInteger.ModPow(2, 3 * 384, Modulus);
        for (int k = 0; k < table.Length; k++)
        {
            table[k] = FromRawLimbs(v);
            v = v * half % Modulus;
        }
        return table;
    }

    /// <summary>
    /// a^-1 for a public a (0 maps to 0). Kaliski's almost-Montgomery-inverse: the loop keeps
    /// p = u·s + v·r, only shifts and subtracts, and ends with r ≡ -raw^-1·2^k (mod p).
    /// </summary>
    internal static void InverseVartime(in Fp a, out Fp r)
    {
        if (a.IsZero)
        {
            r = default;
            return;
        }
        var u = new Fp(P0, P1, P2, P3, P4, P5);
        var v = a;
        var x = default(Fp);          // r in the paper
        var s = new Fp(1, 0, 0, 0, 0, 0);
        int k = 0;
        while (!v.IsZero)
        {
            if ((u.L0 & 1) == 0)
            {
                int z = TrailingZeros(u);
                ShiftRight(ref u, z); ShiftLeft(ref s, z); k += z;
            }
            else if ((v.L0 & 1) == 0)
            {
                int z = TrailingZeros(v);
                ShiftRight(ref v, z); ShiftLeft(ref x, z); k += z;
            }
            else if (GreaterThan(u, v))
            {
                SubRaw(ref u, v); ShiftRight(ref u, 1);
                AddRaw(ref x, s); ShiftLeft(ref s, 1); k++;
            }
            else
            {
                SubRaw(ref v, u); ShiftRight(ref v, 1);
                AddRaw(ref s, x); ShiftLeft(ref x, 1); k++;
            }
        }
        // x < 2p here; bring it below p, then negate: raw^-1·2^k.
        var pp = new Fp(P0, P1, P2, P3, P4, P5);
        if (!GreaterThan(pp, x)) SubRaw(ref x, pp);
        Neg(x, out x);
        // raw = a·R, so a^-1·R = raw^-1·R² = x·2^-k·R²: one Montgomery product by 2^(3·384-k).
        Mul(x, s_inverseFix[k], out r);
    }

    /// <summary>
    /// The Legendre symbol of a public a: 1 for a non-zero square, -1 for a non-square, 0 for zero.
    /// Binary Jacobi algorithm on the raw limbs (R = 2^384 is a square, so Montgomery form keeps the symbol).
    /// </summary>
    internal static int LegendreVartime(in Fp a)
    {
        var x = a;
        var n = new Fp(P0, P1, P2, P3, P4, P5);
        int t = 1;
        while (!x.IsZero)
        {
            int z = TrailingZeros(x);
            ShiftRight(ref x, z);
            ulong n8 = n.L0 & 7;
            if ((z & 1) == 1 && (n8 == 3 || n8 == 5)) t = -t;
            if (GreaterThan(n, x))
            {
                (x, n) = (n, x);
                if ((x.L0 & 3) == 3 && (n.L0 & 3) == 3) t = -t;
            }
            SubRaw(ref x, n);
        }
        return n.L0 == 1 && (n.L1 | n.L2 | n.L3 | n.L4 | n.L5) == 0 ? t : 0;
    }

    private static int TrailingZeros(in Fp a)
    {
        if (a.L0 != 0) return BitOperations.TrailingZeroCount(a.L0);
        if (a.L1 != 0) return 64 + BitOperations.TrailingZeroCount(a.L1);
        if (a.L2 != 0) return 128 + BitOperations.TrailingZeroCount(a.L2);
        if (a.L3 != 0) return 192 + BitOperations.TrailingZeroCount(a.L3);
        if (a.L4 != 0) return 256 + BitOperations.TrailingZeroCount(a.L4);
        return 320 + BitOperations.TrailingZeroCount(a.L5);
    }

    private static void ShiftRight(ref Fp a, int n)
    {
        while (n >= 64)
        {
            a = new Fp(a.L1, a.L2, a.L3, a.L4, a.L5, 0);
            n -= 64;
        }
        if (n == 0) return;
        int m = 64 - n;
        a.L0 = (a.L0 >> n) | (a.L1 << m); a.L1 = (a.L1 >> n) | (a.L2 << m); a.L2 = (a.L2 >> n) | (a.L3 << m);
        a.L3 = (a.L3 >> n) | (a.L4 << m); a.L4 = (a.L4 >> n) | (a.L5 << m); a.L5 >>= n;
    }

    /// <summary>Shift left; callers guarantee the result still fits in 384 bits (the invariant p = u·s + v·r bounds it by 2p).</summary>
    private static void ShiftLeft(ref Fp a, int n)
    {
        while (n >= 64)
        {
            a = new Fp(0, a.L0, a.L1, a.L2, a.L3, a.L4);
            n -= 64;
        }
        if (n == 0) return;
        int m = 64 - n;
        a.L5 = (a.L5 << n) | (a.L4 >> m); a.L4 = (a.L4 << n) | (a.L3 >> m); a.L3 = (a.L3 << n) | (a.L2 >> m);
        a.L2 = (a.L2 << n) | (a.L1 >> m); a.L1 = (a.L1 << n) | (a.L0 >> m); a.L0 <<= n;
    }

    private static bool GreaterThan(in Fp a, in Fp b)
    {
        ulong br = 0;
        Sbb(b.L0, a.L0, ref br); Sbb(b.L1, a.L1, ref br); Sbb(b.L2, a.L2, ref br);
        Sbb(b.L3, a.L3, ref br); Sbb(b.L4, a.L4, ref br); Sbb(b.L5, a.L5, ref br);
        return br == 1;
    }

    private static void SubRaw(ref Fp a, in Fp b)
    {
        ulong br = 0;
        a.L0 = Sbb(a.L0, b.L0, ref br); a.L1 = Sbb(a.L1, b.L1, ref br); a.L2 = Sbb(a.L2, b.L2, ref br);
        a.L3 = Sbb(a.L3, b.L3, ref br); a.L4 = Sbb(a.L4, b.L4, ref br); a.L5 = Sbb(a.L5, b.L5, ref br);
    }

    private static void AddRaw(ref Fp a, in Fp b)
    {
        ulong c = 0;
        a.L0 = Adc(a.L0, b.L0, ref c); a.L1 = Adc(a.L1, b.L1, ref c); a.L2 = Adc(a.L2, b.L2, ref c);
        a.L3 = Adc(a.L3, b.L3, ref c); a.L4 = Adc(a.L4, b.L4, ref c); a.L5 = Adc(a.L5, b.L5, ref c);
    }
}
