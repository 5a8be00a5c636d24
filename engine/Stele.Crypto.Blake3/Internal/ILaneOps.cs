namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// The word operations of the compression function for one register type: a plain uint (one
/// lane) or a vector holding the same word of several independent inputs. Implemented by
/// structs so the JIT specialises and inlines every call.
/// </summary>
internal interface ILaneOps<TV> where TV : struct
{
    static abstract int Lanes { get; }
    static abstract TV Add(TV a, TV b);
    static abstract TV Xor(TV a, TV b);
    static abstract TV RotateRight16(TV v);
    static abstract TV RotateRight12(TV v);
    static abstract TV RotateRight8(TV v);
    static abstract TV RotateRight7(TV v);
    static abstract TV Broadcast(uint value);

    /// <summary>The seven rounds over state v0..v15 with the 16 message words at <paramref name="m"/>.</summary>
    static abstract void Rounds(
        ref TV v0, ref TV v1, ref TV v2, ref TV v3, ref TV v4, ref TV v5, ref TV v6, ref TV v7,
        ref TV v8, ref TV v9, ref TV v10, ref TV v11, ref TV v12, ref TV v13, ref TV v14, ref TV v15,
        ref TV m);
}
