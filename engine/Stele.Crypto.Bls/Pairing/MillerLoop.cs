using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Pairing;

/// <summary>
/// Optimal ate Miller loop for BLS12-381 (x = -0xd201000000010000), many pairs sharing one accumulator.
/// T runs in homogeneous projective coordinates on the twist; each line is evaluated at the affine
/// G1 point and multiplied in sparsely (only 3 of the 6 Fp2 coefficients are non-zero).
///
/// Line shape: untwisting (x', y') ↦ (x'/w², y'/w³) and scaling by w³ turns the line through T into
/// a0 + a1·v + b1·v·w with a0 ∈ Fp2 depending on T only, a1 = c·xP and b1 = d·yP. Any Fp2 factor
/// on a line is harmless: the final exponentiation removes it.
/// </summary>
internal static class MillerLoop
{
    /// <summary>f = ∏ f_{|x|,Q_i}(P_i), conjugated because x is negative. Identity inputs contribute 1.</summary>
    internal static void Run(ReadOnlySpan<Affine<Fp>> ps, ReadOnlySpan<Affine<Fp2>> qs, out Fp12 f)
    {
        int n = ps.Length;
        Span<Point<Fp2>> t = n <= 16 ? stackalloc Point<Fp2>[n] : new Point<Fp2>[n];
        Span<Fp> negXp = n <= 16 ? stackalloc Fp[n] : new Fp[n];
        Span<bool> skip = n <= 16 ? stackalloc bool[n] : new bool[n];
        for (int i = 0; i < n; i++)
        {
            skip[i] = ps[i].IsInfinity || qs[i].IsInfinity;
            t[i] = new Point<Fp2>(qs[i].X, qs[i].Y, Fp2.One);
            Fp.Neg(ps[i].X, out negXp[i]);
        }
        f = Fp12.One;
        for (int bit = 62; bit >= 0; bit--)
        {
            Fp12.Square(f, out f);
            for (int i = 0; i < n; i++)
            {
                if (skip[i]) continue;
                DoublingStep(ref t[i], negXp[i], ps[i].Y, ref f);
            }
            if (((Curve<Fp>.AbsX >> bit) & 1) != 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (skip[i]) continue;
                    AdditionStep(ref t[i], qs[i].X, qs[i].Y, negXp[i], ps[i].Y, ref f);
                }
            }
        }
        Fp12.Conjugate(f, out f);
    }

    /// <summary>
    /// T ← 2T (Costello–Lange–Naehrig projective doubling) and f ← f·ℓ(P) with
    /// ℓ = (Y² - 3b'Z²) + (-3X²·xP)·v + (2YZ·yP)·vw.
    /// </summary>
    private static void DoublingStep(ref Point<Fp2> t, in Fp negXp, in Fp yp, ref Fp12 f)
    {
        Fp2.Square(t.X, out var xx);         // X²
        Fp2.Square(t.Y, out var b);          // B = Y²
        Fp2.Square(t.Z, out var c);          // C = Z²
        Fp2.FMulBy3b(c, out var e);          // E = 3b'Z²
        Fp2.Add(e, e, out var ff); Fp2.Add(ff, e, out ff); // F = 3E
        Fp2.Add(t.Y, t.Z, out var h); Fp2.Square(h, out h); Fp2.Sub(h, b, out h); Fp2.Sub(h, c, out h); // H = 2YZ

        // Line coefficients (before T changes).
        Fp2.Sub(b, e, out var a0);
        Fp2.Add(xx, xx, out var x3); Fp2.Add(x3, xx, out x3);
        Fp2.MulByFp(x3, negXp, out var a1);
        Fp2.MulByFp(h, yp, out var b1);

        // X3 = XY/2·(B - F) → scaled by 2: X3' = XY·(B - F)·2 ... keep everything doubled consistently:
        // use (X3, Y3, Z3) = (2·XY(B-F), (B+F)² - 12E², 4·B·H), a scalar multiple (×4) of the halved formulas.
        Fp2.Mul(t.X, t.Y, out var xy);
        Fp2.Sub(b, ff, out var bmf);
        Fp2.Mul(xy, bmf, out var nx); Fp2.Double(nx, out nx);
        Fp2.Add(b, ff, out var g); Fp2.Square(g, out var g2);
        Fp2.Square(e, out var e2); Fp2.Double(e2, out var e2x2); Fp2.Double(e2x2, out var e2x4);
        Fp2.Add(e2x4, e2x4, out var e2x8); Fp2.Add(e2x8, e2x4, out var e2x12);
        Fp2.Sub(g2, e2x12, out var ny);
        Fp2.Mul(b, h, out var nz); Fp2.Double(nz, out nz); Fp2.Double(nz, out nz);
        t.X = nx; t.Y = ny; t.Z = nz;

        Fp12.MulBy014(ref f, a0, a1, b1);
    }

    /// <summary>
    /// T ← T + Q (Q affine) and f ← f·ℓ(P) with θ = Y - yQ·Z, λ = X - xQ·Z and
    /// ℓ = (θ·xQ - λ·yQ) + (-θ·xP)·v + (λ·yP)·vw.
    /// </summary>
    private static void AdditionStep(ref Point<Fp2> t, in Fp2 qx, in Fp2 qy, in Fp negXp, in Fp yp, ref Fp12 f)
    {
        Fp2.Mul(qy, t.Z, out var theta); Fp2.Sub(t.Y, theta, out theta);
        Fp2.Mul(qx, t.Z, out var lambda); Fp2.Sub(t.X, lambda, out lambda);

        Fp2.Mul(theta, qx, out var a0); Fp2.Mul(lambda, qy, out var tmp); Fp2.Sub(a0, tmp, out a0);
        Fp2.MulByFp(theta, negXp, out var a1);
        Fp2.MulByFp(lambda, yp, out var b1);

        Fp2.Square(theta, out var c);
        Fp2.Square(lambda, out var d);
        Fp2.Mul(d, lambda, out var e);
        Fp2.Mul(t.Z, c, out var ff);
        Fp2.Mul(t.X, d, out var g);
        Fp2.Add(e, ff, out var h); Fp2.Sub(h, g, out h); Fp2.Sub(h, g, out h);
        Fp2.Mul(lambda, h, out var nx);
        Fp2.Sub(g, h, out var ny); Fp2.Mul(theta, ny, out ny); Fp2.Mul(t.Y, e, out tmp); Fp2.Sub(ny, tmp, out ny);
        Fp2.Mul(t.Z, e, out var nz);
        t.X = nx; t.Y = ny; t.Z = nz;

        Fp12.MulBy014(ref f, a0, a1, b1);
    }
}
