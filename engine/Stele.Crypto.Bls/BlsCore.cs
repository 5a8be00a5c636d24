using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.HashToCurve;
using Stele.Crypto.Bls.Pairing;

namespace Stele.Crypto.Bls;

/// <summary>The core operations of the IETF BLS scheme (draft-irtf-cfrg-bls-signature-05 §2), minimal-pubkey-size variant.</summary>
internal static class BlsCore
{
    internal static readonly byte[] SignatureDst = System.Text.Encoding.ASCII.GetBytes(Bls.SignatureDst);
    internal static readonly byte[] PopDst = System.Text.Encoding.ASCII.GetBytes(Bls.ProofOfPossessionDst);

    internal static readonly Affine<Fp> NegatedG1Generator = Negate(G1.Generator);

    private static Affine<Fp> Negate(Affine<Fp> p)
    {
        Fp.Neg(p.Y, out p.Y);
        return p;
    }

    internal static Affine<Fp2> HashToPoint(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        HashToG2.Hash(message, dst, out var h);
        return Curve<Fp2>.ToAffineVartime(h);
    }

    /// <summary>e(pk, H(m)) · e(-g1, σ) == 1.</summary>
    internal static bool CoreVerify(in Affine<Fp> publicKey, ReadOnlySpan<byte> message, in Affine<Fp2> signature, ReadOnlySpan<byte> dst)
    {
        var h = HashToPoint(message, dst);
        return Pairings.ProductIsOne([publicKey, NegatedG1Generator], [h, signature]);
    }

    /// <summary>[sk]·H(m) with a constant-time multiplication (ψ-split, H(m) is in G2); the scalar stays in the caller's buffer.</summary>
    internal static Affine<Fp2> CoreSign(ReadOnlySpan<byte> scalarLe, ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        HashToG2.Hash(message, dst, out var h);
        G2SecretMul.Mul(h, scalarLe, out var s);
        return Curve<Fp2>.ToAffine(s);
    }
}
