using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Curve;

/// <summary>
/// Variable-time arithmetic in Jacobian coordinates (x = X/Z², y = Y/Z³) for PUBLIC points only:
/// doubling costs 1M + 5S instead of 6M + 2S for the complete formulas, which pays off in the long
/// doubling chains of subgroup checks and cofactor clearing. Special cases are handled by branches.
/// </summary>
internal static class Jacobian<F> where F : unmanaged, IField<F>
{
    /// <summary>dbl-2009-l (a = 0).</summary>
    internal static void Double(ref F x, ref F y, ref F z)
    {
        F.FSquare(x, out var a);
        F.FSquare(y, out var b);
        F.FSquare(b, out var c);
        F.FAdd(x, b, out var d); F.FSquare(d, out d); F.FSub(d, a, out d); F.FSub(d, c, out d); F.FAdd(d, d, out d);
        F.FAdd(a, a, out var e); F.FAdd(e, a, out e);
        F.FSquare(e, out var f);
        F.FMul(y, z, out var z3); F.FAdd(z3, z3, out z3);
        F.FSub(f, d, out var x3); F.FSub(x3, d, out x3);
        F.FAdd(c, c, out c); F.FAdd(c, c, out c); F.FAdd(c, c, out c);
        F.FSub(d, x3, out var y3); F.FMul(e, y3, out y3); F.FSub(y3, c, out y3);
        x = x3; y = y3; z = z3;
    }

    /// <summary>(X1:Y1:Z1) += (X2:Y2:Z2), add-2007-bl with the exceptional cases branched out.</summary>
    internal static void Add(ref F x1, ref F y1, ref F z1, in F x2, in F y2, in F z2)
    {
        if (F.FIsZeroMask(z2) != 0) return;
        if (F.FIsZeroMask(z1) != 0) { x1 = x2; y1 = y2; z1 = z2; return; }
        F.FSquare(z1, out var z1z1);
        F.FSquare(z2, out var z2z2);
        F.FMul(x1, z2z2, out var u1);
        F.FMul(x2, z1z1, out var u2);
        F.FMul(y1, z2, out var s1); F.FMul(s1, z2z2, out s1);
        F.FMul(y2, z1, out var s2); F.FMul(s2, z1z1, out s2);
        F.FSub(u2, u1, out var h);
        F.FSub(s2, s1, out var r);
        if (F.FIsZeroMask(h) != 0)
        {
            if (F.FIsZeroMask(r) != 0) { Double(ref x1, ref y1, ref z1); return; }
            x1 = F.FieldOne; y1 = F.FieldOne; z1 = F.FieldZero;
            return;
        }
        F.FAdd(h, h, out var i); F.FSquare(i, out i);
        F.FMul(h, i, out var j);
        F.FAdd(r, r, out r);
        F.FMul(u1, i, out var v);
        F.FSquare(r, out var x3); F.FSub(x3, j, out x3); F.FSub(x3, v, out x3); F.FSub(x3, v, out x3);
        F.FSub(v, x3, out var y3); F.FMul(r, y3, out y3);
        F.FMul(s1, j, out var t); F.FAdd(t, t, out t); F.FSub(y3, t, out y3);
        F.FAdd(z1, z2, out var z3); F.FSquare(z3, out z3); F.FSub(z3, z1z1, out z3); F.FSub(z3, z2z2, out z3); F.FMul(z3, h, out z3);
        x1 = x3; y1 = y3; z1 = z3;
    }

    /// <summary>[|x|]p for a public point, returned in homogeneous projective coordinates.</summary>
    internal static void MulByAbsX(in Point<F> p, out Point<F> r) => Mul(p, Curve<F>.AbsX, out r);

    /// <summary>[k]p for a public point and a PUBLIC 64-bit scalar (batch-verification weights), projective result.</summary>
    internal static void Mul(in Point<F> p, ulong k, out Point<F> r)
    {
        if (p.IsIdentity || k == 0) { r = Point<F>.Identity; return; }
        // Homogeneous (X:Y:Z) → Jacobian (XZ : YZ² : Z).
        F.FMul(p.X, p.Z, out var px);
        F.FSquare(p.Z, out var zz);
        F.FMul(p.Y, zz, out var py);
        var pz = p.Z;
        F x = px, y = py, z = pz;
        for (int i = 62 - System.Numerics.BitOperations.LeadingZeroCount(k); i >= 0; i--)
        {
            Double(ref x, ref y, ref z);
            if (((k >> i) & 1) != 0) Add(ref x, ref y, ref z, px, py, pz);
        }
        // Jacobian (X:Y:Z) → homogeneous (XZ : Y : Z³).
        if (F.FIsZeroMask(z) != 0) { r = Point<F>.Identity; return; }
        F.FMul(x, z, out r.X);
        r.Y = y;
        F.FSquare(z, out var z2);
        F.FMul(z2, z, out r.Z);
    }
}
