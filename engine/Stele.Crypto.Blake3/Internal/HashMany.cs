using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// Chaining values of many equal-length inputs laid out back to back: the widest kernel takes
/// as many as it can, narrower ones and the scalar path take the rest.
/// </summary>
internal static class HashMany
{
    /// <summary>
    /// Hashes <paramref name="count"/> inputs of <paramref name="blocks"/> full blocks each and
    /// writes their 32-byte chaining values to <paramref name="output"/>. Every input is read
    /// before its output is written, so parents may be compressed in place (output j at 32j
    /// overlaps only inputs at or before j).
    /// </summary>
    public static void Hash(ReadOnlySpan<byte> inputs, int count, int blocks, in Words8 key, ulong counter,
        bool incrementCounter, uint flags, uint flagsStart, uint flagsEnd, Span<byte> output, SimdLevel level)
    {
        var inputLength = blocks * Constants.BlockLength;
        if (inputs.Length < count * inputLength || output.Length < count * Constants.OutLength)
            throw new ArgumentException("Buffers are too short for the requested inputs.");

        ref var input = ref MemoryMarshal.GetReference(inputs);
        ref var outputStart = ref MemoryMarshal.GetReference(output);
        var done = 0;
        if (level >= SimdLevel.V512 && Vector512Ops.IsSupported)
            done = RunWide<Vector512<uint>, Vector512Ops>(ref input, done, count, blocks, key, counter, incrementCounter, flags, flagsStart, flagsEnd, ref outputStart);
        if (level >= SimdLevel.V256 && Vector256Ops.IsSupported)
            done = RunWide<Vector256<uint>, Vector256Ops>(ref input, done, count, blocks, key, counter, incrementCounter, flags, flagsStart, flagsEnd, ref outputStart);
        if (level >= SimdLevel.V128 && Vector128Ops.IsSupported)
            done = RunWide<Vector128<uint>, Vector128Ops>(ref input, done, count, blocks, key, counter, incrementCounter, flags, flagsStart, flagsEnd, ref outputStart);

        for (; done < count; done++)
        {
            var cv = key;
            var laneCounter = incrementCounter ? counter + (ulong)done : counter;
            for (var b = 0; b < blocks; b++)
            {
                var blockFlags = flags | (b == 0 ? flagsStart : 0) | (b == blocks - 1 ? flagsEnd : 0);
                ScalarCompressor.CompressInPlace(ref cv,
                    inputs.Slice(done * inputLength + b * Constants.BlockLength, Constants.BlockLength),
                    laneCounter, Constants.BlockLength, blockFlags);
            }
            WriteCv(cv, output.Slice(done * Constants.OutLength, Constants.OutLength));
        }
    }

    public static void WriteCv(in Words8 cv, Span<byte> destination)
    {
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32LittleEndian(destination[(4 * i)..], cv[i]);
    }

    public static Words8 ReadCv(ReadOnlySpan<byte> source)
    {
        Unsafe.SkipInit(out Words8 cv);
        for (var i = 0; i < 8; i++) cv[i] = BinaryPrimitives.ReadUInt32LittleEndian(source[(4 * i)..]);
        return cv;
    }

    private static int RunWide<TV, TOps>(ref byte input, int done, int count, int blocks, in Words8 key, ulong counter,
        bool incrementCounter, uint flags, uint flagsStart, uint flagsEnd, ref byte output)
        where TV : struct
        where TOps : struct, IWideLaneOps<TV>
    {
        var inputLength = blocks * Constants.BlockLength;
        while (count - done >= TOps.Lanes)
        {
            var groupCounter = incrementCounter ? counter + (ulong)done : counter;
            HashManyKernel.Run<TV, TOps>(ref Unsafe.Add(ref input, (nint)done * inputLength), blocks, key, groupCounter,
                incrementCounter, flags, flagsStart, flagsEnd, ref Unsafe.Add(ref output, (nint)done * Constants.OutLength));
            done += TOps.Lanes;
        }
        return done;
    }
}
