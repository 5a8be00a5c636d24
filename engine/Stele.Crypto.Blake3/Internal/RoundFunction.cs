using System.Runtime.CompilerServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// The seven rounds of the BLAKE3 compression function, written once for every lane width.
/// The message schedule is unrolled into constant indices so no permutation is executed.
/// </summary>
internal static class RoundFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G<TV, TOps>(ref TV a, ref TV b, ref TV c, ref TV d, ref TV m, int x, int y)
        where TV : struct
        where TOps : struct, ILaneOps<TV>
    {
        a = TOps.Add(TOps.Add(a, b), Unsafe.Add(ref m, x));
        d = TOps.RotateRight16(TOps.Xor(d, a));
        c = TOps.Add(c, d);
        b = TOps.RotateRight12(TOps.Xor(b, c));
        a = TOps.Add(TOps.Add(a, b), Unsafe.Add(ref m, y));
        d = TOps.RotateRight8(TOps.Xor(d, a));
        c = TOps.Add(c, d);
        b = TOps.RotateRight7(TOps.Xor(b, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round<TV, TOps>(
        ref TV v0, ref TV v1, ref TV v2, ref TV v3, ref TV v4, ref TV v5, ref TV v6, ref TV v7,
        ref TV v8, ref TV v9, ref TV v10, ref TV v11, ref TV v12, ref TV v13, ref TV v14, ref TV v15,
        ref TV m,
        int s0, int s1, int s2, int s3, int s4, int s5, int s6, int s7,
        int s8, int s9, int s10, int s11, int s12, int s13, int s14, int s15)
        where TV : struct
        where TOps : struct, ILaneOps<TV>
    {
        // Columns, then diagonals.
        G<TV, TOps>(ref v0, ref v4, ref v8, ref v12, ref m, s0, s1);
        G<TV, TOps>(ref v1, ref v5, ref v9, ref v13, ref m, s2, s3);
        G<TV, TOps>(ref v2, ref v6, ref v10, ref v14, ref m, s4, s5);
        G<TV, TOps>(ref v3, ref v7, ref v11, ref v15, ref m, s6, s7);
        G<TV, TOps>(ref v0, ref v5, ref v10, ref v15, ref m, s8, s9);
        G<TV, TOps>(ref v1, ref v6, ref v11, ref v12, ref m, s10, s11);
        G<TV, TOps>(ref v2, ref v7, ref v8, ref v13, ref m, s12, s13);
        G<TV, TOps>(ref v3, ref v4, ref v9, ref v14, ref m, s14, s15);
    }

    /// <summary>All seven rounds; <paramref name="m"/> points at the 16 message words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rounds<TV, TOps>(
        ref TV v0, ref TV v1, ref TV v2, ref TV v3, ref TV v4, ref TV v5, ref TV v6, ref TV v7,
        ref TV v8, ref TV v9, ref TV v10, ref TV v11, ref TV v12, ref TV v13, ref TV v14, ref TV v15,
        ref TV m)
        where TV : struct
        where TOps : struct, ILaneOps<TV>
    {
        Round<TV, TOps>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m,
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        Round<TV, TOps>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m,
            2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8);
        Round<TV, TOps>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m,
            3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1);
        Round<TV, TOps>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m,
            10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6);
        Round<TV, TOps>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m,
            12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4);
        Round<TV, TOps>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m,
            9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7);
        Round<TV, TOps>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m,
            11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13);
    }
}
