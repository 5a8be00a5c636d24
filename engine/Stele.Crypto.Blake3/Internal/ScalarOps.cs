using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>One input at a time, in general-purpose registers.</summary>
internal readonly partial struct ScalarOps : ILaneOps<uint>
{
    public static int Lanes => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Add(uint a, uint b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Xor(uint a, uint b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint RotateRight16(uint v) => BitOperations.RotateRight(v, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint RotateRight12(uint v) => BitOperations.RotateRight(v, 12);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint RotateRight8(uint v) => BitOperations.RotateRight(v, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint RotateRight7(uint v) => BitOperations.RotateRight(v, 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Broadcast(uint value) => value;
}
