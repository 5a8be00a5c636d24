using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Curve;

/// <summary>
/// [k]P for a SECRET scalar k &lt; r and a point P of G2 (Sign, PopProve), using the ψ endomorphism:
/// on G2, ψ(P) = [x]P with x = -|x|, so [|x|^i]P = (-ψ)^i(P). Writing k = d0 + d1|x| + d2|x|² + d3|x|³
/// (digits below |x| &lt; 2^64; r = x⁴ - x² + 1 &lt; |x|⁴, so four digits suffice) turns one 255-bit
/// multiplication into a joint 64-bit one over P, -ψ(P), ψ²(P), -ψ³(P): 64 doublings and 64 additions of
/// a 16-entry table instead of 256 doublings and 64 additions. Constant-time like
/// <see cref="Curve{F}.MulConstantTime"/>: digits by a branch-free bitwise division, every table entry
/// read by a full masked scan, complete formulas throughout.
/// </summary>
internal static class G2SecretMul
{
    internal static void Mul(in Point<Fp2> p, ReadOnlySpan<byte> scalarLe32, out Point<Fp2> r)
    {
        Span<ulong> digits = stackalloc ulong[4];
        Span<Point<Fp2>> table = stackalloc Point<Fp2>[16];
        try
        {
            SplitByAbsX(scalarLe32, digits);
            BuildTable(p, table);
            var acc = Point<Fp2>.Identity;
            for (int bit = 63; bit >= 0; bit--)
            {
                Curve<Fp2>.Double(acc, out acc);
                int index = (int)(((digits[0] >> bit) & 1) | (((digits[1] >> bit) & 1) << 1)
                    | (((digits[2] >> bit) & 1) << 2) | (((digits[3] >> bit) & 1) << 3));
                Curve<Fp2>.SelectConstantTime(table, index, out var selected);
                Curve<Fp2>.Add(acc, selected, out acc);
            }
            r = acc;
        }
        finally
        {
            digits.Clear();
            table.Clear();
        }
    }

    /// <summary>table[j] = Σ over the set bits i of j of [|x|^i]P, i.e. of P, -ψ(P), ψ²(P), -ψ³(P).</summary>
    private static void BuildTable(in Point<Fp2> p, Span<Point<Fp2>> table)
    {
        table[0] = Point<Fp2>.Identity;
        table[1] = p;
        G2.Psi(p, out var psi1);
        G2.Psi(psi1, out var psi2);
        G2.Psi(psi2, out var psi3);
        Curve<Fp2>.Neg(psi1, out table[2]);
        table[4] = psi2;
        Curve<Fp2>.Neg(psi3, out table[8]);
        for (int high = 2; high <= 8; high <<= 1)
        {
            for (int low = 1; low < high; low++) Curve<Fp2>.Add(table[high], table[low], out table[high + low]);
        }
    }

    /// <summary>
    /// Base-|x| digits of a 256-bit little-endian scalar below |x|⁴: three divisions by the public |x|, each a
    /// restoring bitwise long division whose only branches are on the (public) bit position.
    /// </summary>
    internal static void SplitByAbsX(ReadOnlySpan<byte> scalarLe32, Span<ulong> digits)
    {
        Span<ulong> n = stackalloc ulong[4];
        Span<ulong> q = stackalloc ulong[4];
        for (int i = 0; i < 4; i++) n[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(scalarLe32[(8 * i)..]);
        for (int d = 0; d < 3; d++)
        {
            digits[d] = DivRemByAbsX(n, q);
            q.CopyTo(n);
        }
        digits[3] = n[0];
        n.Clear();
        q.Clear();
    }

    /// <summary>q = n / |x|, returns n mod |x|. Branch-free in the value of n.</summary>
    private static ulong DivRemByAbsX(ReadOnlySpan<ulong> n, Span<ulong> q)
    {
        const ulong d = Curve<Fp>.AbsX;
        ulong rem = 0;
        q.Clear();
        for (int i = 255; i >= 0; i--)
        {
            ulong top = rem >> 63;                            // the bit 2·rem pushes out of the word
            rem = (rem << 1) | ((n[i >> 6] >> (i & 63)) & 1);
            ulong borrow = rem < d ? 1UL : 0UL;
            ulong take = top | (borrow ^ 1);                  // 2·rem + bit ≥ d
            ulong mask = 0UL - take;
            rem = ((rem - d) & mask) | (rem & ~mask);         // wraps correctly when top = 1: the result is below d
            q[i >> 6] |= take << (i & 63);
        }
        return rem;
    }
}
