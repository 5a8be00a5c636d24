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
}
