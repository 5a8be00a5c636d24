using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Curve;

/// <summary>
/// Sums many PUBLIC affine points by pairwise affine additions, a whole level of pairs at a time, sharing one
/// field inversion per level (Montgomery's trick). An affine addition then costs about 5M + 1S instead of the
/// 11M of a projective mixed addition, which is what makes aggregating tens of thousands of keys or
/// signatures cheap. Variable time: public data only.
/// </summary>
internal static class AffineBatchSum<F> where F : unmanaged, IField<F>
{
    /// <summary>Below this many points a level's inversion costs more than it saves; finish projectively.</summary>
    private const int ProjectiveTail = 4;

    /// <summary>
    /// Returns acc + Σ (xs[i], ys[i]) for i &lt; count. The points must not be the identity. The spans are used
    /// as scratch and overwritten; <paramref name="scratch"/> needs count elements (the pairs' x-differences
    /// in its upper half, so each is computed once, and their inverses in its lower half).
    /// </summary>
    internal static void Sum(Span<F> xs, Span<F> ys, int count, Span<F> scratch, ref Point<F> acc)
    {
        int m = count;
        while (m > ProjectiveTail)
        {
            int pairs = m / 2;
            var inverses = scratch[..pairs];
            var dxs = scratch.Slice(pairs, pairs);
            // Forward pass: x-differences and their prefix products; equal x (P = ±Q) is left out of the product.
            var product = F.FieldOne;
            for (int i = 0; i < pairs; i++)
            {
                inverses[i] = product;
                F.FSub(xs[2 * i + 1], xs[2 * i], out dxs[i]);
                if (F.FIsZeroMask(dxs[i]) == 0) F.FMul(product, dxs[i], out product);
            }
            F.FInverseVartime(product, out var inv);
            // Backward pass: 1/dx_i = inv · prefix_i, then inv ← inv · dx_i for the pair below.
            for (int i = pairs - 1; i >= 0; i--)
            {
                ref readonly var dx = ref dxs[i];
                if (F.FIsZeroMask(dx) != 0) continue;
                F.FMul(inv, inverses[i], out inverses[i]);
                F.FMul(inv, dx, out inv);
            }
            // Forward pass (pair i lands in slot i ≤ 2i, so nothing still needed is overwritten).
            for (int i = 0; i < pairs; i++)
            {
                F x0 = xs[2 * i], y0 = ys[2 * i], x1 = xs[2 * i + 1], y1 = ys[2 * i + 1];
                if (F.FIsZeroMask(dxs[i]) != 0)
                {
                    // P = Q or P = -Q: rare; the complete formulas take the second point.
                    Curve<F>.AddMixed(acc, x1, y1, out acc);
                    xs[i] = x0;
                    ys[i] = y0;
                    continue;
                }
                F.FSub(y1, y0, out var lambda);
                F.FMul(lambda, inverses[i], out lambda);
                F.FSquare(lambda, out var x3);
                F.FSub(x3, x0, out x3);
                F.FSub(x3, x1, out x3);
                F.FSub(x0, x3, out var y3);
                F.FMul(y3, lambda, out y3);
                F.FSub(y3, y0, out ys[i]);
                xs[i] = x3;
            }
            if ((m & 1) == 1)
            {
                xs[pairs] = xs[m - 1];
                ys[pairs] = ys[m - 1];
            }
            m = pairs + (m & 1);
        }
        for (int i = 0; i < m; i++) Curve<F>.AddMixed(acc, xs[i], ys[i], out acc);
    }
}
