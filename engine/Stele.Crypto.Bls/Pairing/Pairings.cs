using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Pairing;

/// <summary>Pairing entry points on affine inputs.</summary>
internal static class Pairings
{
    internal static Fp12 Pair(in Affine<Fp> p, in Affine<Fp2> q)
    {
        MillerLoop.Run([p], [q], out var f);
        FinalExponentiation.Apply(f, out var r);
        return r;
    }

    /// <summary>True if ∏ e(P_i, Q_i) = 1: one shared Miller loop and one final exponentiation.</summary>
    internal static bool ProductIsOne(ReadOnlySpan<Affine<Fp>> ps, ReadOnlySpan<Affine<Fp2>> qs)
    {
        MillerLoop.Run(ps, qs, out var f);
        FinalExponentiation.Apply(f, out var r);
        return r.IsOne;
    }
}
