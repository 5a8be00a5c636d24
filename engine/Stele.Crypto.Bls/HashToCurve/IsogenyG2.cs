using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.HashToCurve;

/// <summary>The 3-isogeny E2' → E2 (RFC 9380 Appendix E.3), returning a projective point.</summary>
internal static class IsogenyG2
{
    private static Fp2 K(string c0, string c1) => Fp2.FromBigIntegers(G1.Hex(c0), G1.Hex(c1));

    // Coefficients listed from the constant term upwards.
    private static readonly Fp2[] s_xNum =
    [
        K("5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
          "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"),
        K("0", "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"),
        K("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
          "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"),
        K("171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1", "0"),
    ];

    private static readonly Fp2[] s_xDen =
    [
        K("0", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63"),
        K("c", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f"),
        Fp2.One,
    ];

    private static readonly Fp2[] s_yNum =
    [
        K("1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
          "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"),
        K("0", "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"),
        K("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
          "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"),
        K("124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10", "0"),
    ];

    private static readonly Fp2[] s_yDen =
    [
        K("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
          "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb"),
        K("0", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3"),
        K("12", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99"),
        Fp2.One,
    ];

    private static void Horner(ReadOnlySpan<Fp2> coefficients, in Fp2 x, out Fp2 r)
    {
        r = coefficients[^1];
        for (int i = coefficients.Length - 2; i >= 0; i--)
        {
            Fp2.Mul(r, x, out r);
            Fp2.Add(r, coefficients[i], out r);
        }
    }

    /// <summary>(x, y) on E2' ↦ (x_num·y_den : y·y_num·x_den : x_den·y_den) on E2. A pole maps to the identity.</summary>
    internal static void Map(in Fp2 x, in Fp2 y, out Point<Fp2> r)
    {
        Horner(s_xNum, x, out var xNum);
        Horner(s_xDen, x, out var xDen);
        Horner(s_yNum, x, out var yNum);
        Horner(s_yDen, x, out var yDen);
        Fp2.Mul(xNum, yDen, out r.X);
        Fp2.Mul(y, yNum, out var t);
        Fp2.Mul(t, xDen, out r.Y);
        Fp2.Mul(xDen, yDen, out r.Z);
        if (r.Z.IsZero) r = Point<Fp2>.Identity;
    }
}
