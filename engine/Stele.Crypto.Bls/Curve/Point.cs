using System.Runtime.CompilerServices;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Curve;

/// <summary>A point of y² = x³ + b in homogeneous projective coordinates (x = X/Z, y = Y/Z); identity is (0:1:0).</summary>
internal struct Point<F> where F : unmanaged, IField<F>
{
    internal F X, Y, Z;

    internal Point(in F x, in F y, in F z) { X = x; Y = y; Z = z; }

    internal static Point<F> Identity => new(F.FieldZero, F.FieldOne, F.FieldZero);

    internal readonly bool IsIdentity => F.FIsZeroMask(Z) != 0;
}

/// <summary>An affine point; the identity is flagged rather than encoded.</summary>
internal struct Affine<F> where F : unmanaged, IField<F>
{
    internal F X, Y;
    internal bool IsInfinity;

    internal Affine(in F x, in F y) { X = x; Y = y; IsInfinity = false; }

    internal static Affine<F> Infinity => new() { X = F.FieldZero, Y = F.FieldOne, IsInfinity = true };
}

/// <summary>
/// Group law with the complete, exception-free formulas of Renes–Costello–Batina (2016, algorithms 7–9, a = 0).
/// No input needs special-casing, so the same code runs in constant time on secret scalars.
/// </summary>
internal static class Curve<F> where F : unmanaged, IField<F>
{
    internal static void Add(in Point<F> p, in Point<F> q, out Point<F> r)
    {
        F.FMul(p.X, q.X, out var t0);
        F.FMul(p.Y, q.Y, out var t1);
        F.FMul(p.Z, q.Z, out var t2);
        F.FAdd(p.X, p.Y, out var t3);
        F.FAdd(q.X, q.Y, out var t4);
        F.FMul(t3, t4, out t3);
        F.FAdd(t0, t1, out t4);
        F.FSub(t3, t4, out t3);
        F.FAdd(p.Y, p.Z, out t4);
        F.FAdd(q.Y, q.Z, out var x3);
        F.FMul(t4, x3, out t4);
        F.FAdd(t1, t2, out x3);
        F.FSub(t4, x3, out t4);
        F.FAdd(p.X, p.Z, out x3);
        F.FAdd(q.X, q.Z, out var y3);
        F.FMul(x3, y3, out x3);
        F.FAdd(t0, t2, out y3);
        F.FSub(x3, y3, out y3);
        F.FAdd(t0, t0, out x3);
        F.FAdd(x3, t0, out t0);
        F.FMulBy3b(t2, out t2);
        F.FAdd(t1, t2, out var z3);
        F.FSub(t1, t2, out t1);
        F.FMulBy3b(y3, out y3);
        F.FMul(t4, y3, out x3);
        F.FMul(t3, t1, out t2);
        F.FSub(t2, x3, out x3);
        F.FMul(y3, t0, out y3);
        F.FMul(t1, z3, out t1);
        F.FAdd(t1, y3, out y3);
        F.FMul(t0, t3, out t0);
        F.FMul(z3, t4, out z3);
        F.FAdd(z3, t0, out z3);
        r.X = x3; r.Y = y3; r.Z = z3;
    }

    /// <summary>p + q for an affine q (which must not be the identity; see <see cref="AddAffine"/>).</summary>
    internal static void AddMixed(in Point<F> p, in F qx, in F qy, out Point<F> r)
    {
        F.FMul(p.X, qx, out var t0);
        F.FMul(p.Y, qy, out var t1);
        F.FAdd(qx, qy, out var t3);
        F.FAdd(p.X, p.Y, out var t4);
        F.FMul(t3, t4, out t3);
        F.FAdd(t0, t1, out t4);
        F.FSub(t3, t4, out t3);
        F.FMul(qy, p.Z, out t4);
        F.FAdd(t4, p.Y, out t4);
        F.FMul(qx, p.Z, out var y3);
        F.FAdd(y3, p.X, out y3);
        F.FAdd(t0, t0, out var x3);
        F.FAdd(x3, t0, out t0);
        F.FMulBy3b(p.Z, out var t2);
        F.FAdd(t1, t2, out var z3);
        F.FSub(t1, t2, out t1);
        F.FMulBy3b(y3, out y3);
        F.FMul(t4, y3, out x3);
        F.FMul(t3, t1, out t2);
        F.FSub(t2, x3, out x3);
        F.FMul(y3, t0, out y3);
        F.FMul(t1, z3, out t1);
        F.FAdd(t1, y3, out y3);
        F.FMul(t0, t3, out t0);
        F.FMul(z3, t4, out z3);
        F.FAdd(z3, t0, out z3);
        r.X = x3; r.Y = y3; r.Z = z3;
    }

    internal static void AddAffine(in Point<F> p, in Affine<F> q, out Point<F> r)
    {
        if (q.IsInfinity) { r = p; return; }
        AddMixed(p, q.X, q.Y, out r);
    }

    internal static void Double(in Point<F> p, out Point<F> r)
    {
        F.FSquare(p.Y, out var t0);
        F.FAdd(t0, t0, out var z3);
        F.FAdd(z3, z3, out z3);
        F.FAdd(z3, z3, out z3);
        F.FMul(p.Y, p.Z, out var t1);
        F.FSquare(p.Z, out var t2);
        F.FMulBy3b(t2, out t2);
        F.FMul(t2, z3, out var x3);
        F.FAdd(t0, t2, out var y3);
        F.FMul(t1, z3, out z3);
        F.FAdd(t2, t2, out t1);
        F.FAdd(t1, t2, out t2);
        F.FSub(t0, t2, out t0);
        F.FMul(t0, y3, out y3);
        F.FAdd(x3, y3, out y3);
        F.FMul(p.X, p.Y, out t1);
        F.FMul(t0, t1, out x3);
        F.FAdd(x3, x3, out x3);
        r.X = x3; r.Y = y3; r.Z = z3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Neg(in Point<F> p, out Point<F> r)
    {
        r.X = p.X;
        F.FNeg(p.Y, out r.Y);
        r.Z = p.Z;
    }

    internal static void Sub(in Point<F> p, in Point<F> q, out Point<F> r)
    {
        Neg(q, out var nq);
        Add(p, nq, out r);
    }

    internal static Point<F> FromAffine(in Affine<F> a) =>
        a.IsInfinity ? Point<F>.Identity : new Point<F>(a.X, a.Y, F.FieldOne);

    /// <summary>Affine form with the constant-time inversion: for points derived from a secret (SkToPk, Sign).</summary>
    internal static Affine<F> ToAffine(in Point<F> p)
    {
        if (p.IsIdentity) return Affine<F>.Infinity;
        F.FInverse(p.Z, out var zi);
        return Scale(p, zi);
    }

    /// <summary>Affine form of a PUBLIC point (variable-time inversion).</summary>
    internal static Affine<F> ToAffineVartime(in Point<F> p)
    {
        if (p.IsIdentity) return Affine<F>.Infinity;
        F.FInverseVartime(p.Z, out var zi);
        return Scale(p, zi);
    }

    private static Affine<F> Scale(in Point<F> p, in F zInverse)
    {
        F.FMul(p.X, zInverse, out var x);
        F.FMul(p.Y, zInverse, out var y);
        return new Affine<F>(x, y);
    }

    /// <summary>Converts many points with one inversion (Montgomery's trick). Public data only.</summary>
    internal static void BatchToAffine(ReadOnlySpan<Point<F>> points, Span<Affine<F>> result)
    {
        var acc = F.FieldOne;
        var prefix = new F[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            prefix[i] = acc;
            if (!points[i].IsIdentity) F.FMul(acc, points[i].Z, out acc);
        }
        F.FInverseVartime(acc, out var inv);
        for (int i = points.Length - 1; i >= 0; i--)
        {
            if (points[i].IsIdentity) { result[i] = Affine<F>.Infinity; continue; }
            F.FMul(inv, prefix[i], out var zi);
            F.FMul(inv, points[i].Z, out inv);
            F.FMul(points[i].X, zi, out var x);
            F.FMul(points[i].Y, zi, out var y);
            result[i] = new Affine<F>(x, y);
        }
    }

    /// <summary>p == q as group elements.</summary>
    internal static bool Equal(in Point<F> p, in Point<F> q)
    {
        F.FMul(p.X, q.Z, out var a);
        F.FMul(q.X, p.Z, out var b);
        F.FMul(p.Y, q.Z, out var c);
        F.FMul(q.Y, p.Z, out var d);
        return (F.FEqualMask(a, b) & F.FEqualMask(c, d)) != 0;
    }

    /// <summary>Y²Z = X³ + bZ³ (the identity passes).</summary>
    internal static bool IsOnCurve(in Point<F> p)
    {
        F.FSquare(p.Y, out var lhs);
        F.FMul(lhs, p.Z, out lhs);
        F.FSquare(p.X, out var x3);
        F.FMul(x3, p.X, out x3);
        F.FSquare(p.Z, out var z3);
        F.FMul(z3, p.Z, out z3);
        var b = F.CurveB;
        F.FMul(z3, b, out z3);
        F.FAdd(x3, z3, out var rhs);
        return F.FEqualMask(lhs, rhs) != 0;
    }

    /// <summary>y² = x³ + b for an affine (non-infinity) point.</summary>
    internal static bool IsOnCurve(in F x, in F y)
    {
        F.FSquare(y, out var lhs);
        F.FSquare(x, out var rhs);
        F.FMul(rhs, x, out rhs);
        var b = F.CurveB;
        F.FAdd(rhs, b, out rhs);
        return F.FEqualMask(lhs, rhs) != 0;
    }

    /// <summary>
    /// [k]p for a SECRET scalar (32 bytes, little-endian): 4-bit fixed windows over all 256 bits,
    /// each table entry read by a full masked scan, complete formulas. No branch or index depends on k.
    /// </summary>
    internal static void MulConstantTime(in Point<F> p, ReadOnlySpan<byte> scalarLe32, out Point<F> r)
    {
        Span<Point<F>> table = stackalloc Point<F>[16];
        table[0] = Point<F>.Identity;
        table[1] = p;
        for (int i = 2; i < 16; i++)
        {
            if ((i & 1) == 0) Double(table[i / 2], out table[i]);
            else Add(table[i - 1], p, out table[i]);
        }
        var acc = Point<F>.Identity;
        for (int w = 63; w >= 0; w--)
        {
            Double(acc, out acc); Double(acc, out acc); Double(acc, out acc); Double(acc, out acc);
            int nibble = (scalarLe32[w >> 1] >> ((w & 1) * 4)) & 0xF;
            SelectConstantTime(table, nibble, out var sel);
            Add(acc, sel, out acc);
        }
        table.Clear();
        r = acc;
    }

    /// <summary>
    /// r = table[index] (table[0] must be the identity) for a SECRET index: every entry is read and merged
    /// under a mask, so neither a branch nor a memory address depends on the index.
    /// </summary>
    internal static void SelectConstantTime(ReadOnlySpan<Point<F>> table, int index, out Point<F> r)
    {
        r = Point<F>.Identity;
        for (int j = 1; j < table.Length; j++)
        {
            // mask = all ones iff j == index, computed without a comparison branch
            ulong diff = (ulong)(uint)(j ^ index);
            ulong mask = ((diff | (0UL - diff)) >> 63) - 1;
            F.FSelect(r.X, table[j].X, mask, out r.X);
            F.FSelect(r.Y, table[j].Y, mask, out r.Y);
            F.FSelect(r.Z, table[j].Z, mask, out r.Z);
        }
    }

    /// <summary>[k]p for a PUBLIC scalar (little-endian words); double-and-add, variable time.</summary>
    internal static void MulVartime(in Point<F> p, ReadOnlySpan<ulong> k, out Point<F> r)
    {
        var acc = Point<F>.Identity;
        int top = k.Length * 64 - 1;
        while (top >= 0 && ((k[top / 64] >> (top % 64)) & 1) == 0) top--;
        for (int i = top; i >= 0; i--)
        {
            Double(acc, out acc);
            if (((k[i / 64] >> (i % 64)) & 1) != 0) Add(acc, p, out acc);
        }
        r = acc;
    }

    /// <summary>|x| = 0xd201000000010000, the BLS parameter's absolute value.</summary>
    internal const ulong AbsX = 0xd201000000010000;

    /// <summary>[|x|]p: 63 doublings and 4 additions.</summary>
    internal static void MulByAbsX(in Point<F> p, out Point<F> r)
    {
        var acc = p;
        for (int i = 62; i >= 0; i--)
        {
            Double(acc, out acc);
            if (((AbsX >> i) & 1) != 0) Add(acc, p, out acc);
        }
        r = acc;
    }
}
