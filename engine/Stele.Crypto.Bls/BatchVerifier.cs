using System.Security.Cryptography;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.Pairing;

namespace Stele.Crypto.Bls;

/// <summary>
/// Batch verification: with fresh random non-zero 64-bit r_i, check
/// ∏ e([r_i]pk_i, H(m_i)) · e(-g1, Σ [r_i]σ_i) = 1. Every input is already a validated subgroup element,
/// so if any set is invalid the product is 1 with probability at most 2^-64 over the choice of r_i.
/// </summary>
internal static class BatchVerifier
{
    internal static bool Verify(ReadOnlySpan<BlsSignatureSet> sets)
    {
        int n = sets.Length;
        if (n == 0) return false;
        var scalars = new ulong[n];
        RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(scalars.AsSpan()));
        var weightedKeys = new Point<Fp>[n];
        var hashes = new Point<Fp2>[n];
        var sigSum = Point<Fp2>.Identity;
        for (int i = 0; i < n; i++)
        {
            var set = sets[i];
            ArgumentNullException.ThrowIfNull(set.PublicKey);
            ArgumentNullException.ThrowIfNull(set.Signature);
            if (scalars[i] == 0) scalars[i] = 1;
            // Public points and public weights: the cheaper Jacobian chains (variable time) are fine here.
            Jacobian<Fp>.Mul(Curve<Fp>.FromAffine(set.PublicKey.Point), scalars[i], out weightedKeys[i]);
            Jacobian<Fp2>.Mul(Curve<Fp2>.FromAffine(set.Signature.Point), scalars[i], out var ws);
            Curve<Fp2>.Add(sigSum, ws, out sigSum);
            HashToCurve.HashToG2.Hash(set.Message.Span, BlsCore.SignatureDst, out hashes[i]);
        }
        var ps = new Affine<Fp>[n + 1];
        var qs = new Affine<Fp2>[n + 1];
        Curve<Fp>.BatchToAffine(weightedKeys, ps.AsSpan(0, n));
        Curve<Fp2>.BatchToAffine(hashes, qs.AsSpan(0, n));
        ps[n] = BlsCore.NegatedG1Generator;
        qs[n] = Curve<Fp2>.ToAffineVartime(sigSum);
        return Pairings.ProductIsOne(ps, qs);
    }
}
