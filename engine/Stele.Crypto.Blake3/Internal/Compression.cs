using System.Runtime.CompilerServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>The compression function over any lane width: state setup, rounds, feed-forward.</summary>
internal static class Compression
{
    /// <summary>Replaces the 8 chaining-value words at <paramref name="cv"/> with the compressed result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CompressInPlace<TV, TOps>(ref TV cv, ref TV m, TV counterLow, TV counterHigh, TV blockLength, TV flags)
        where TV : struct
        where TOps : struct, ILaneOps<TV>
    {
        TV v0 = cv, v1 = Unsafe.Add(ref cv, 1), v2 = Unsafe.Add(ref cv, 2), v3 = Unsafe.Add(ref cv, 3);
        TV v4 = Unsafe.Add(ref cv, 4), v5 = Unsafe.Add(ref cv, 5), v6 = Unsafe.Add(ref cv, 6), v7 = Unsafe.Add(ref cv, 7);
        TV v8 = TOps.Broadcast(Constants.IV0), v9 = TOps.Broadcast(Constants.IV1);
        TV v10 = TOps.Broadcast(Constants.IV2), v11 = TOps.Broadcast(Constants.IV3);
        TV v12 = counterLow, v13 = counterHigh, v14 = blockLength, v15 = flags;

        TOps.Rounds(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7,
            ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m);

        cv = TOps.Xor(v0, v8);
        Unsafe.Add(ref cv, 1) = TOps.Xor(v1, v9);
        Unsafe.Add(ref cv, 2) = TOps.Xor(v2, v10);
        Unsafe.Add(ref cv, 3) = TOps.Xor(v3, v11);
        Unsafe.Add(ref cv, 4) = TOps.Xor(v4, v12);
        Unsafe.Add(ref cv, 5) = TOps.Xor(v5, v13);
        Unsafe.Add(ref cv, 6) = TOps.Xor(v6, v14);
        Unsafe.Add(ref cv, 7) = TOps.Xor(v7, v15);
    }

    /// <summary>Writes all 16 output words (the extended output of one block) to <paramref name="output"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CompressXof<TV, TOps>(ref TV cv, ref TV m, TV counterLow, TV counterHigh, TV blockLength, TV flags, ref TV output)
        where TV : struct
        where TOps : struct, ILaneOps<TV>
    {
        TV c0 = cv, c1 = Unsafe.Add(ref cv, 1), c2 = Unsafe.Add(ref cv, 2), c3 = Unsafe.Add(ref cv, 3);
        TV c4 = Unsafe.Add(ref cv, 4), c5 = Unsafe.Add(ref cv, 5), c6 = Unsafe.Add(ref cv, 6), c7 = Unsafe.Add(ref cv, 7);
        TV v0 = c0, v1 = c1, v2 = c2, v3 = c3, v4 = c4, v5 = c5, v6 = c6, v7 = c7;
        TV v8 = TOps.Broadcast(Constants.IV0), v9 = TOps.Broadcast(Constants.IV1);
        TV v10 = TOps.Broadcast(Constants.IV2), v11 = TOps.Broadcast(Constants.IV3);
        TV v12 = counterLow, v13 = counterHigh, v14 = blockLength, v15 = flags;

        TOps.Rounds(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7,
            ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref m);

        output = TOps.Xor(v0, v8);
        Unsafe.Add(ref output, 1) = TOps.Xor(v1, v9);
        Unsafe.Add(ref output, 2) = TOps.Xor(v2, v10);
        Unsafe.Add(ref output, 3) = TOps.Xor(v3, v11);
        Unsafe.Add(ref output, 4) = TOps.Xor(v4, v12);
        Unsafe.Add(ref output, 5) = TOps.Xor(v5, v13);
        Unsafe.Add(ref output, 6) = TOps.Xor(v6, v14);
        Unsafe.Add(ref output, 7) = TOps.Xor(v7, v15);
        Unsafe.Add(ref output, 8) = TOps.Xor(v8, c0);
        Unsafe.Add(ref output, 9) = TOps.Xor(v9, c1);
        Unsafe.Add(ref output, 10) = TOps.Xor(v10, c2);
        Unsafe.Add(ref output, 11) = TOps.Xor(v11, c3);
        Unsafe.Add(ref output, 12) = TOps.Xor(v12, c4);
        Unsafe.Add(ref output, 13) = TOps.Xor(v13, c5);
        Unsafe.Add(ref output, 14) = TOps.Xor(v14, c6);
        Unsafe.Add(ref output, 15) = TOps.Xor(v15, c7);
    }
}
