using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Bls.Field;

/// <summary>
/// An element of the BLS12-381 base field, 6×64-bit little-endian limbs in Montgomery form (a·2^384 mod p).
/// Every operation here is branch-free over the values (carries via setcc, selections via masks),
/// so it is safe on secret data; only <see cref="Pow"/> branches, and only on its public exponent.
/// </summary>
internal partial struct Fp
{
    internal ulong L0, L1, L2, L3, L4, L5;

    internal const ulong P0 = 0xb9feffffffffaaab, P1 = 0x1eabfffeb153ffff, P2 = 0x6730d2a0f6b0f624,
        P3 = 0x64774b84f38512bf, P4 = 0x4b1ba7b6434bacd7, P5 = 0x1a0111ea397fe69a;

    /// <summary>-p^-1 mod 2^64.</summary>
    internal const ulong Inv = 0x89f3fffcfffcfffd;

    internal static readonly BigInteger Modulus = BigInteger.Parse(
        "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        System.Globalization.NumberStyles.HexNumber);

    internal static readonly Fp Zero = default;
    internal static readonly Fp One = FromRawLimbs(BigInteger.ModPow(2, 384, Modulus));
    private static readonly Fp s_r2 = FromRawLimbs(BigInteger.ModPow(2, 768, Modulus));
    private static readonly Fp s_r3 = FromRawLimbs(BigInteger.ModPow(2, 1152, Modulus));

    // Public exponents used for inversion and square roots (little-endian 64-bit words).
    private static readonly ulong[] s_pMinus2 = Words(Modulus - 2);
    private static readonly ulong[] s_pPlus1Over4 = Words((Modulus + 1) / 4);
    private static readonly ulong[] s_pMinus1Over2 = Words((Modulus - 1) / 2);
    private static readonly ulong[] s_pMinus3Over4 = Words((Modulus - 3) / 4);

    /// <summary>1/2 mod p.</summary>
    internal static readonly Fp Half = FromRawLimbs((Modulus + 1) / 2 * BigInteger.ModPow(2, 384, Modulus) % Modulus);

    internal Fp(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4; L5 = l5;
    }

    internal static ulong[] Words(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: false);
        var words = new ulong[(bytes.Length + 7) / 8];
        for (int i = 0; i < bytes.Length; i++) words[i / 8] |= (ulong)bytes[i] << (8 * (i % 8));
        return words;
    }

    /// <summary>Limbs of a value below 2^384 taken as they are (no Montgomery conversion).</summary>
    internal static Fp FromRawLimbs(BigInteger value)
    {
        var w = Words(value);
        Array.Resize(ref w, 6);
        return new Fp(w[0], w[1], w[2], w[3], w[4], w[5]);
    }

    /// <summary>Montgomery form of an integer (one-time constant derivation and tests only).</summary>
    internal static Fp FromBigInteger(BigInteger value)
    {
        value %= Modulus;
        if (value.Sign < 0) value += Modulus;
        var raw = FromRawLimbs(value);
        Mul(raw, s_r2, out var r);
        return r;
    }

    internal readonly BigInteger ToBigInteger()
    {
        FromMontgomery(this, out var c);
        Span<byte> b = stackalloc byte[48];
        c.WriteRawLittleEndian(b);
        return new BigInteger(b, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>The limbs read as an integer, without leaving Montgomery form (tests).</summary>
    internal readonly BigInteger ToBigIntegerRaw()
    {
        Span<byte> b = stackalloc byte[48];
        WriteRawLittleEndian(b);
        return new BigInteger(b, isUnsigned: true, isBigEndian: false);
    }

    internal static Fp FromUInt64(ulong v)
    {
        var raw = new Fp(v, 0, 0, 0, 0, 0);
        Mul(raw, s_r2, out var r);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Sbb(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        ulong b2 = d < borrow ? 1UL : 0UL;
        borrow = b1 | b2;
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Adc(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        ulong c2 = r < s ? 1UL : 0UL;
        carry = c1 | c2;
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Double(in Fp a, out Fp r) => Add(a, a, out r);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Square(in Fp a, out Fp r) => Mul(a, a, out r);

    internal static void FromMontgomery(in Fp a, out Fp r)
    {
        var one = new Fp(1, 0, 0, 0, 0, 0);
        Mul(a, one, out r);
    }

    /// <summary>All-ones if a == 0, else zero. Branch-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong IsZeroMask(in Fp a)
    {
        ulong nz = a.L0 | a.L1 | a.L2 | a.L3 | a.L4 | a.L5;
        return ((nz | (0UL - nz)) >> 63) - 1;
    }

    internal readonly bool IsZero => IsZeroMask(this) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong EqualMask(in Fp a, in Fp b)
    {
        ulong d = (a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3) | (a.L4 ^ b.L4) | (a.L5 ^ b.L5);
        return ((d | (0UL - d)) >> 63) - 1;
    }

    internal static bool Equal(in Fp a, in Fp b) => EqualMask(a, b) != 0;

    /// <summary>r = mask ? b : a, where mask is all-ones or zero. Branch-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Select(in Fp a, in Fp b, ulong mask, out Fp r)
    {
        r.L0 = a.L0 ^ ((a.L0 ^ b.L0) & mask); r.L1 = a.L1 ^ ((a.L1 ^ b.L1) & mask);
        r.L2 = a.L2 ^ ((a.L2 ^ b.L2) & mask); r.L3 = a.L3 ^ ((a.L3 ^ b.L3) & mask);
        r.L4 = a.L4 ^ ((a.L4 ^ b.L4) & mask); r.L5 = a.L5 ^ ((a.L5 ^ b.L5) & mask);
    }

    /// <summary>a^e for a public exponent (little-endian words); 4-bit fixed windows.</summary>
    internal static void Pow(in Fp a, ReadOnlySpan<ulong> e, out Fp r)
    {
        Span<Fp> table = stackalloc Fp[16];
        table[0] = One;
        for (int i = 1; i < 16; i++) Mul(table[i - 1], a, out table[i]);
        var acc = One;
        bool started = false;
        for (int i = e.Length * 16 - 1; i >= 0; i--)
        {
            int nib = (int)(e[i / 16] >> (4 * (i % 16))) & 0xF;
            if (started)
            {
                Square(acc, out acc); Square(acc, out acc); Square(acc, out acc); Square(acc, out acc);
            }
            if (nib != 0)
            {
                Mul(acc, table[nib], out acc);
                started = true;
            }
        }
        r = acc;
    }

    /// <summary>a^-1 via Fermat (a^(p-2)); constant-time, maps 0 to 0.</summary>
    internal static void Inverse(in Fp a, out Fp r) => Pow(a, s_pMinus2, out r);

    /// <summary>Square root for p ≡ 3 (mod 4); returns false when a is not a square.</summary>
    internal static bool Sqrt(in Fp a, out Fp r)
    {
        Pow(a, s_pPlus1Over4, out r);
        Square(r, out var check);
        return Equal(check, a);
    }

    /// <summary>a^((p-3)/4): for a square a this is 1/sqrt(a), and a·a^((p-3)/4) is sqrt(a).</summary>
    internal static void PowPMinus3Over4(in Fp a, out Fp r) => Pow(a, s_pMinus3Over4, out r);

    /// <summary>True if a is a nonzero square or zero (Euler's criterion).</summary>
    internal static bool IsSquare(in Fp a)
    {
        Pow(a, s_pMinus1Over2, out var l);
        return Equal(l, One) || a.IsZero;
    }

    internal readonly void WriteRawLittleEndian(Span<byte> dst)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(dst, L0); BinaryPrimitives.WriteUInt64LittleEndian(dst[8..], L1);
        BinaryPrimitives.WriteUInt64LittleEndian(dst[16..], L2); BinaryPrimitives.WriteUInt64LittleEndian(dst[24..], L3);
        BinaryPrimitives.WriteUInt64LittleEndian(dst[32..], L4); BinaryPrimitives.WriteUInt64LittleEndian(dst[40..], L5);
    }

    /// <summary>Canonical 48-byte big-endian encoding.</summary>
    internal readonly void ToBigEndian(Span<byte> dst)
    {
        FromMontgomery(this, out var c);
        BinaryPrimitives.WriteUInt64BigEndian(dst, c.L5); BinaryPrimitives.WriteUInt64BigEndian(dst[8..], c.L4);
        BinaryPrimitives.WriteUInt64BigEndian(dst[16..], c.L3); BinaryPrimitives.WriteUInt64BigEndian(dst[24..], c.L2);
        BinaryPrimitives.WriteUInt64BigEndian(dst[32..], c.L1); BinaryPrimitives.WriteUInt64BigEndian(dst[40..], c.L0);
    }

    private static Fp ReadRawBigEndian(ReadOnlySpan<byte> src) => new(
        BinaryPrimitives.ReadUInt64BigEndian(src[40..]), BinaryPrimitives.ReadUInt64BigEndian(src[32..]),
        BinaryPrimitives.ReadUInt64BigEndian(src[24..]), BinaryPrimitives.ReadUInt64BigEndian(src[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(src[8..]), BinaryPrimitives.ReadUInt64BigEndian(src));

    /// <summary>Parses 48 big-endian bytes; false if the integer is not below p (non-canonical).</summary>
    internal static bool TryFromBigEndian(ReadOnlySpan<byte> src, out Fp r)
    {
        var raw = ReadRawBigEndian(src);
        ulong br = 0;
        Sbb(raw.L0, P0, ref br); Sbb(raw.L1, P1, ref br); Sbb(raw.L2, P2, ref br);
        Sbb(raw.L3, P3, ref br); Sbb(raw.L4, P4, ref br); Sbb(raw.L5, P5, ref br);
        Mul(raw, s_r2, out r);
        return br == 1;
    }

    /// <summary>A 64-byte big-endian integer reduced mod p (hash_to_field, L = 64). Branch-free.</summary>
    internal static void FromBigEndianWide(ReadOnlySpan<byte> src64, out Fp r)
    {
        // value = hi·2^384 + lo with hi < 2^128 and lo < 2^384 < 8p.
        var hi = new Fp(BinaryPrimitives.ReadUInt64BigEndian(src64[8..]), BinaryPrimitives.ReadUInt64BigEndian(src64), 0, 0, 0, 0);
        var lo = ReadRawBigEndian(src64[16..]);
        SubtractIfAtLeast(ref lo, 4); SubtractIfAtLeast(ref lo, 2); SubtractIfAtLeast(ref lo, 1);
        Mul(hi, s_r3, out var hiM);  // hi·2^384 in Montgomery form
        Mul(lo, s_r2, out var loM);
        Add(hiM, loM, out r);
    }

    private static readonly Fp[] s_pMultiples = [FromRawLimbs(Modulus), FromRawLimbs(2 * Modulus), FromRawLimbs(4 * Modulus)];

    private static void SubtractIfAtLeast(ref Fp x, int multiple)
    {
        ref readonly var m = ref s_pMultiples[multiple == 1 ? 0 : multiple == 2 ? 1 : 2];
        ulong br = 0;
        ulong t0 = Sbb(x.L0, m.L0, ref br), t1 = Sbb(x.L1, m.L1, ref br), t2 = Sbb(x.L2, m.L2, ref br);
        ulong t3 = Sbb(x.L3, m.L3, ref br), t4 = Sbb(x.L4, m.L4, ref br), t5 = Sbb(x.L5, m.L5, ref br);
        var t = new Fp(t0, t1, t2, t3, t4, t5);
        Select(t, x, 0UL - br, out x);
    }

    /// <summary>Parity of the canonical integer (sgn0 of RFC 9380).</summary>
    internal readonly ulong Sgn0()
    {
        FromMontgomery(this, out var c);
        return c.L0 & 1;
    }

    private static readonly Fp s_halfP = FromRawLimbs((Modulus - 1) / 2);

    /// <summary>True if the canonical value exceeds (p-1)/2 (the ZCash "sign" of a coordinate).</summary>
    internal readonly bool IsLexicographicallyLargest()
    {
        FromMontgomery(this, out var c);
        ulong br = 0;
        Sbb(s_halfP.L0, c.L0, ref br); Sbb(s_halfP.L1, c.L1, ref br); Sbb(s_halfP.L2, c.L2, ref br);
        Sbb(s_halfP.L3, c.L3, ref br); Sbb(s_halfP.L4, c.L4, ref br); Sbb(s_halfP.L5, c.L5, ref br);
        return br == 1;
    }

    public override readonly string ToString() => "0x" + ToBigInteger().ToString("x");
}
