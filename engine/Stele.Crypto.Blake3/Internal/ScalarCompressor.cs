using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// The compression function on one block at a time (chunk tails, parents, root output): the
/// row form where AVX-512VL is present, else the portable word-by-word form.
/// </summary>
internal static class ScalarCompressor
{

    public static void CompressInPlace(ref Words8 cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
        CheckBlock(block);
        if (RowCompressor.IsSupported)
            RowCompressor.CompressInPlace(ref cv, block, counter, blockLength, flags);
        else
            PortableCompressInPlace(ref cv, block, counter, blockLength, flags);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void PortableCompressInPlace(ref Words8 cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
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
        if (RowCompressor.IsSupported)
        {
            RowCompressor.CompressXof(cv, block, counter, blockLength, flags, ref output);
            return;
        }
        PortableCompressXof(cv, block, counter, blockLength, flags, ref output);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void PortableCompressXof(in Words8 cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, ref Words16 output)
    {
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
