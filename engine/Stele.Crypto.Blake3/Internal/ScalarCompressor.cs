using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>The compression function on one block at a time (chunk tails, parents, root output).</summary>
internal static class ScalarCompressor
{
    public static void CompressInPlace(ref Words8 cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
        CheckBlock(block);
        if (BitConverter.IsLittleEndian)
        {
            // Little-endian: the block's bytes already are its message words.
            ref uint m = ref Unsafe.As<byte, uint>(ref MemoryMarshal.GetReference(block));
            Compression.CompressInPlace<uint, ScalarOps>(ref cv[0], ref m, (uint)counter, (uint)(counter >> 32), blockLength, flags);
        }
        else
        {
            var words = ReadWords(block);
            Compression.CompressInPlace<uint, ScalarOps>(ref cv[0], ref words[0], (uint)counter, (uint)(counter >> 32), blockLength, flags);
        }
    }

    public static void CompressXof(in Words8 cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, ref Words16 output)
    {
        CheckBlock(block);
        var input = cv;
        if (BitConverter.IsLittleEndian)
        {
            ref uint m = ref Unsafe.As<byte, uint>(ref MemoryMarshal.GetReference(block));
            Compression.CompressXof<uint, ScalarOps>(ref input[0], ref m, (uint)counter, (uint)(counter >> 32), blockLength, flags, ref output[0]);
        }
        else
        {
            var words = ReadWords(block);
            Compression.CompressXof<uint, ScalarOps>(ref input[0], ref words[0], (uint)counter, (uint)(counter >> 32), blockLength, flags, ref output[0]);
        }
    }

    private static void CheckBlock(ReadOnlySpan<byte> block)
    {
        if (block.Length != Constants.BlockLength) throw new ArgumentException("A block is 64 bytes.", nameof(block));
    }

    private static Words16 ReadWords(ReadOnlySpan<byte> block)
    {
        Words16 words = default;
        for (var i = 0; i < 16; i++) words[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * i)..]);
        return words;
    }
}
