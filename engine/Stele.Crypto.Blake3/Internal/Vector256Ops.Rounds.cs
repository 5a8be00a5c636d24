using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Stele.Crypto.Blake3.Internal;

// The seven rounds with the message schedule unrolled into constant indices. Kept apart from
// the generic code and free of interface calls so the JIT inlines the whole body (its inline
// budget cannot afford ~900 small generic calls per compression).
internal readonly partial struct Vector256Ops
{
    /// <summary>All seven rounds; <paramref name="m"/> points at the 16 message words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rounds(
        ref Vector256<uint> v0, ref Vector256<uint> v1, ref Vector256<uint> v2, ref Vector256<uint> v3, ref Vector256<uint> v4, ref Vector256<uint> v5, ref Vector256<uint> v6, ref Vector256<uint> v7,
        ref Vector256<uint> v8, ref Vector256<uint> v9, ref Vector256<uint> v10, ref Vector256<uint> v11, ref Vector256<uint> v12, ref Vector256<uint> v13, ref Vector256<uint> v14, ref Vector256<uint> v15,
        ref Vector256<uint> m)
    {
        // Round 1: columns, then diagonals.
        G(ref v0, ref v4, ref v8, ref v12, Unsafe.Add(ref m, 0), Unsafe.Add(ref m, 1));
        G(ref v1, ref v5, ref v9, ref v13, Unsafe.Add(ref m, 2), Unsafe.Add(ref m, 3));
        G(ref v2, ref v6, ref v10, ref v14, Unsafe.Add(ref m, 4), Unsafe.Add(ref m, 5));
        G(ref v3, ref v7, ref v11, ref v15, Unsafe.Add(ref m, 6), Unsafe.Add(ref m, 7));
        G(ref v0, ref v5, ref v10, ref v15, Unsafe.Add(ref m, 8), Unsafe.Add(ref m, 9));
        G(ref v1, ref v6, ref v11, ref v12, Unsafe.Add(ref m, 10), Unsafe.Add(ref m, 11));
        G(ref v2, ref v7, ref v8, ref v13, Unsafe.Add(ref m, 12), Unsafe.Add(ref m, 13));
        G(ref v3, ref v4, ref v9, ref v14, Unsafe.Add(ref m, 14), Unsafe.Add(ref m, 15));
        // Round 2: columns, then diagonals.
        G(ref v0, ref v4, ref v8, ref v12, Unsafe.Add(ref m, 2), Unsafe.Add(ref m, 6));
        G(ref v1, ref v5, ref v9, ref v13, Unsafe.Add(ref m, 3), Unsafe.Add(ref m, 10));
        G(ref v2, ref v6, ref v10, ref v14, Unsafe.Add(ref m, 7), Unsafe.Add(ref m, 0));
        G(ref v3, ref v7, ref v11, ref v15, Unsafe.Add(ref m, 4), Unsafe.Add(ref m, 13));
        G(ref v0, ref v5, ref v10, ref v15, Unsafe.Add(ref m, 1), Unsafe.Add(ref m, 11));
        G(ref v1, ref v6, ref v11, ref v12, Unsafe.Add(ref m, 12), Unsafe.Add(ref m, 5));
        G(ref v2, ref v7, ref v8, ref v13, Unsafe.Add(ref m, 9), Unsafe.Add(ref m, 14));
        G(ref v3, ref v4, ref v9, ref v14, Unsafe.Add(ref m, 15), Unsafe.Add(ref m, 8));
        // Round 3: columns, then diagonals.
        G(ref v0, ref v4, ref v8, ref v12, Unsafe.Add(ref m, 3), Unsafe.Add(ref m, 4));
        G(ref v1, ref v5, ref v9, ref v13, Unsafe.Add(ref m, 10), Unsafe.Add(ref m, 12));
        G(ref v2, ref v6, ref v10, ref v14, Unsafe.Add(ref m, 13), Unsafe.Add(ref m, 2));
        G(ref v3, ref v7, ref v11, ref v15, Unsafe.Add(ref m, 7), Unsafe.Add(ref m, 14));
        G(ref v0, ref v5, ref v10, ref v15, Unsafe.Add(ref m, 6), Unsafe.Add(ref m, 5));
        G(ref v1, ref v6, ref v11, ref v12, Unsafe.Add(ref m, 9), Unsafe.Add(ref m, 0));
        G(ref v2, ref v7, ref v8, ref v13, Unsafe.Add(ref m, 11), Unsafe.Add(ref m, 15));
        G(ref v3, ref v4, ref v9, ref v14, Unsafe.Add(ref m, 8), Unsafe.Add(ref m, 1));
        // Round 4: columns, then diagonals.
        G(ref v0, ref v4, ref v8, ref v12, Unsafe.Add(ref m, 10), Unsafe.Add(ref m, 7));
        G(ref v1, ref v5, ref v9, ref v13, Unsafe.Add(ref m, 12), Unsafe.Add(ref m, 9));
        G(ref v2, ref v6, ref v10, ref v14, Unsafe.Add(ref m, 14), Unsafe.Add(ref m, 3));
        G(ref v3, ref v7, ref v11, ref v15, Unsafe.Add(ref m, 13), Unsafe.Add(ref m, 15));
        G(ref v0, ref v5, ref v10, ref v15, Unsafe.Add(ref m, 4), Unsafe.Add(ref m, 0));
        G(ref v1, ref v6, ref v11, ref v12, Unsafe.Add(ref m, 11), Unsafe.Add(ref m, 2));
        G(ref v2, ref v7, ref v8, ref v13, Unsafe.Add(ref m, 5), Unsafe.Add(ref m, 8));
        G(ref v3, ref v4, ref v9, ref v14, Unsafe.Add(ref m, 1), Unsafe.Add(ref m, 6));
        // Round 5: columns, then diagonals.
        G(ref v0, ref v4, ref v8, ref v12, Unsafe.Add(ref m, 12), Unsafe.Add(ref m, 13));
        G(ref v1, ref v5, ref v9, ref v13, Unsafe.Add(ref m, 9), Unsafe.Add(ref m, 11));
        G(ref v2, ref v6, ref v10, ref v14, Unsafe.Add(ref m, 15), Unsafe.Add(ref m, 10));
        G(ref v3, ref v7, ref v11, ref v15, Unsafe.Add(ref m, 14), Unsafe.Add(ref m, 8));
        G(ref v0, ref v5, ref v10, ref v15, Unsafe.Add(ref m, 7), Unsafe.Add(ref m, 2));
        G(ref v1, ref v6, ref v11, ref v12, Unsafe.Add(ref m, 5), Unsafe.Add(ref m, 3));
        G(ref v2, ref v7, ref v8, ref v13, Unsafe.Add(ref m, 0), Unsafe.Add(ref m, 1));
        G(ref v3, ref v4, ref v9, ref v14, Unsafe.Add(ref m, 6), Unsafe.Add(ref m, 4));
        // Round 6: columns, then diagonals.
        G(ref v0, ref v4, ref v8, ref v12, Unsafe.Add(ref m, 9), Unsafe.Add(ref m, 14));
        G(ref v1, ref v5, ref v9, ref v13, Unsafe.Add(ref m, 11), Unsafe.Add(ref m, 5));
        G(ref v2, ref v6, ref v10, ref v14, Unsafe.Add(ref m, 8), Unsafe.Add(ref m, 12));
        G(ref v3, ref v7, ref v11, ref v15, Unsafe.Add(ref m, 15), Unsafe.Add(ref m, 1));
        G(ref v0, ref v5, ref v10, ref v15, Unsafe.Add(ref m, 13), Unsafe.Add(ref m, 3));
        G(ref v1, ref v6, ref v11, ref v12, Unsafe.Add(ref m, 0), Unsafe.Add(ref m, 10));
        G(ref v2, ref v7, ref v8, ref v13, Unsafe.Add(ref m, 2), Unsafe.Add(ref m, 6));
        G(ref v3, ref v4, ref v9, ref v14, Unsafe.Add(ref m, 4), Unsafe.Add(ref m, 7));
        // Round 7: columns, then diagonals.
        G(ref v0, ref v4, ref v8, ref v12, Unsafe.Add(ref m, 11), Unsafe.Add(ref m, 15));
        G(ref v1, ref v5, ref v9, ref v13, Unsafe.Add(ref m, 5), Unsafe.Add(ref m, 0));
        G(ref v2, ref v6, ref v10, ref v14, Unsafe.Add(ref m, 1), Unsafe.Add(ref m, 9));
        G(ref v3, ref v7, ref v11, ref v15, Unsafe.Add(ref m, 8), Unsafe.Add(ref m, 6));
        G(ref v0, ref v5, ref v10, ref v15, Unsafe.Add(ref m, 14), Unsafe.Add(ref m, 10));
        G(ref v1, ref v6, ref v11, ref v12, Unsafe.Add(ref m, 2), Unsafe.Add(ref m, 12));
        G(ref v2, ref v7, ref v8, ref v13, Unsafe.Add(ref m, 3), Unsafe.Add(ref m, 4));
        G(ref v3, ref v4, ref v9, ref v14, Unsafe.Add(ref m, 7), Unsafe.Add(ref m, 13));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d, Vector256<uint> x, Vector256<uint> y)
    {
        a = a + b + x;
        d = RotateRight16(d ^ a);
        c += d;
        b = RotateRight12(b ^ c);
        a = a + b + y;
        d = RotateRight8(d ^ a);
        c += d;
        b = RotateRight7(b ^ c);
    }
}
