using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Curve;

/// <summary>G2: the order-r subgroup of the twist E'(Fp2): y² = x³ + 4(1 + u).</summary>
internal static class G2
{
    internal static readonly Affine<Fp2> Generator = new(
        Fp2.FromBigIntegers(
            G1.Hex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
            G1.Hex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")),
        Fp2.FromBigIntegers(
            G1.Hex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
            G1.Hex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be")));

    // ψ = untwist ∘ Frobenius ∘ twist: (x, y) ↦ (conj(x)·ξ^-((p-1)/3), conj(y)·ξ^-((p-1)/2)).
    private static readonly Fp2 s_psiX = PsiConstant(3);
    private static readonly Fp2 s_psiY = PsiConstant(2);

    private static Fp2 PsiConstant(int divisor)
    {
        var xi = new Fp2(Fp.One, Fp.One);
        var v = Fp2.Pow(xi, (Fp.Modulus - 1) / divisor);
        Fp2.Inverse(v, out var inv);
        return inv;
    }

    internal static void Psi(in Point<Fp2> p, out Point<Fp2> r)
    {
        Fp2.Conjugate(p.X, out var x);
        Fp2.Conjugate(p.Y, out var y);
        Fp2.Conjugate(p.Z, out r.Z);
        Fp2.Mul(x, s_psiX, out r.X);
        Fp2.Mul(y, s_psiY, out r.Y);
    }

    /// <summary>[x]P with the signed parameter x = -|x|.</summary>
    internal static void MulByX(in Point<Fp2> p, out Point<Fp2> r)
    {
        Jacobian<Fp2>.MulByAbsX(p, out var t);
        Curve<Fp2>.Neg(t, out r);
    }

    /// <summary>Subgroup membership (Scott 2021): P ∈ G2 iff ψ(P) = [x]P. The point must be on the curve.</summary>
    internal static bool IsInSubgroup(in Point<Fp2> p)
    {
        if (p.IsIdentity) return true;
        Psi(p, out var lhs);
        MulByX(p, out var rhs);
        return Curve<Fp2>.Equal(lhs, rhs);
    }

    /// <summary>
    /// Multiplication by h_eff (RFC 9380 §8.8.2, Budroni–Pintore): [x²-x-1]P + [x-1]ψ(P) + ψ²(2P).
    /// </summary>
    internal static void ClearCofactor(in Point<Fp2> p, out Point<Fp2> r)
    {
        MulByX(p, out var t1);                 // [x]P
        Psi(p, out var t2);                    // ψ(P)
        Curve<Fp2>.Double(p, out var t3);      // 2P
        Psi(t3, out t3); Psi(t3, out t3);      // ψ²(2P)
        Curve<Fp2>.Sub(t3, t2, out t3);        // ψ²(2P) - ψ(P)
        Curve<Fp2>.Add(t1, t2, out t2);        // [x]P + ψ(P)
        MulByX(t2, out t2);                    // [x²]P + [x]ψ(P)
        Curve<Fp2>.Add(t3, t2, out t3);
        Curve<Fp2>.Sub(t3, t1, out t3);
        Curve<Fp2>.Sub(t3, p, out r);
    }
}
