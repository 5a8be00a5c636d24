namespace Stele.Crypto.Bls.Field;

/// <summary>
/// Karabina's compressed form of an element of the cyclotomic subgroup of Fp12: only the four Fp2
/// coefficients z2 = C1.C0, z3 = C0.C2, z4 = C0.C1, z5 = C1.C2 (the naming of the Granger–Scott
/// squaring in <see cref="Fp12.CyclotomicSquare"/>). The square of such an element has z2..z5 that
/// depend on z2..z5 alone, so long chains of squarings run on two thirds of the data and cost
/// 4 Fp2 products instead of 9 Fp2 squarings. z0 and z1 come back from the norm equation
/// f·conj(f) = 1 (see <see cref="TryDecompress"/>). Pairing values are public: variable time.
/// </summary>
internal struct CompressedCyclotomic
{
    internal Fp2 Z2, Z3, Z4, Z5;

    internal static CompressedCyclotomic From(in Fp12 f) => new() { Z2 = f.C1.C0, Z3 = f.C0.C2, Z4 = f.C0.C1, Z5 = f.C1.C2 };

    /// <summary>
    /// In-place square, from the Granger–Scott formulas restricted to z2..z5:
    /// z2' = 2(z2 + 3ξ·z4z5), z3' = 3(z4² + ξz5²) − 2z3, z4' = 3(z2² + ξz3²) − 2z4, z5' = 2(z5 + 3·z2z3).
    /// z4² + ξz5² = (z4 + z5)(z4 + ξz5) − (1 + ξ)·z4z5, so each pair costs two Fp2 products.
    /// </summary>
    internal void Square()
    {
        SumOfSquares(Z4, Z5, out var s45, out var b45);
        SumOfSquares(Z2, Z3, out var s23, out var b23);

        Fp2.MulByNonResidue(b45, out var xb45);
        Fp2.Double(xb45, out var t); Fp2.Add(t, xb45, out t); Fp2.Add(t, Z2, out t); Fp2.Double(t, out Z2);
        Fp2.Double(b23, out t); Fp2.Add(t, b23, out t); Fp2.Add(t, Z5, out t); Fp2.Double(t, out Z5);
        Fp2.Sub(s45, Z3, out t); Fp2.Double(t, out t); Fp2.Add(t, s45, out Z3);
        Fp2.Sub(s23, Z4, out t); Fp2.Double(t, out t); Fp2.Add(t, s23, out Z4);
    }

    /// <summary>s = a² + ξb² and p = ab, with two Fp2 products.</summary>
    private static void SumOfSquares(in Fp2 a, in Fp2 b, out Fp2 s, out Fp2 p)
    {
        Fp2.Mul(a, b, out p);
        Fp2.MulByNonResidue(b, out var xb);
        Fp2.Add(a, xb, out var u);
        Fp2.Add(a, b, out var v);
        Fp2.Mul(u, v, out s);               // a² + ξb² + (1 + ξ)ab
        Fp2.Sub(s, p, out s);
        Fp2.MulByNonResidue(p, out var xp);
        Fp2.Sub(s, xp, out s);
    }

    /// <summary>
    /// Recovers the full elements with one shared inversion. From f·conj(f) = C0² − v·C1² = 1, the v and v²
    /// coefficients give two equations linear in z0, z1:
    /// 2z4·z0 − 2ξz5·z1 = z2² − ξz3² (= R1) and 2z3·z0 − 2z2·z1 = ξz5² − z4² (= R2), so with
    /// D = 2(ξz3z5 − z2z4): z0 = (ξz5·R2 − z2·R1)/D and z1 = (z4·R2 − z3·R1)/D.
    /// Returns false when some D is zero (e.g. the element 1); the caller then squares uncompressed.
    /// </summary>
    internal static bool TryDecompress(ReadOnlySpan<CompressedCyclotomic> cs, Span<Fp12> result)
    {
        int n = cs.Length;
        Span<Fp2> num0 = stackalloc Fp2[n];
        Span<Fp2> num1 = stackalloc Fp2[n];
        Span<Fp2> den = stackalloc Fp2[n];
        Span<Fp2> prefix = stackalloc Fp2[n];
        var acc = Fp2.One;
        for (int i = 0; i < n; i++)
        {
            ref readonly var c = ref cs[i];
            Fp2.Square(c.Z2, out var r1); Fp2.Square(c.Z3, out var t); Fp2.MulByNonResidue(t, out t); Fp2.Sub(r1, t, out r1);
            Fp2.Square(c.Z5, out var r2); Fp2.MulByNonResidue(r2, out r2); Fp2.Square(c.Z4, out t); Fp2.Sub(r2, t, out r2);
            Fp2.Mul(c.Z3, c.Z5, out var d); Fp2.MulByNonResidue(d, out d); Fp2.Mul(c.Z2, c.Z4, out t); Fp2.Sub(d, t, out d); Fp2.Double(d, out den[i]);
            if (den[i].IsZero) return false;
            Fp2.MulByNonResidue(c.Z5, out var xz5); Fp2.Mul(xz5, r2, out num0[i]); Fp2.Mul(c.Z2, r1, out t); Fp2.Sub(num0[i], t, out num0[i]);
            Fp2.Mul(c.Z4, r2, out num1[i]); Fp2.Mul(c.Z3, r1, out t); Fp2.Sub(num1[i], t, out num1[i]);
            prefix[i] = acc;
            Fp2.Mul(acc, den[i], out acc);
        }
        Fp2.InverseVartime(acc, out var inv);
        for (int i = n - 1; i >= 0; i--)
        {
            Fp2.Mul(inv, prefix[i], out var di);
            Fp2.Mul(inv, den[i], out inv);
            ref readonly var c = ref cs[i];
            Fp2.Mul(num0[i], di, out var z0);
            Fp2.Mul(num1[i], di, out var z1);
            result[i] = new Fp12(new Fp6(z0, c.Z4, c.Z3), new Fp6(c.Z2, z1, c.Z5));
        }
        return true;
    }
}
