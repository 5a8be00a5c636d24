using System.Buffers.Binary;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// The inputs of a node's last compression, kept uncompressed: the same node yields a
/// chaining value (inner node) or any amount of root output (the root).
/// </summary>
internal struct OutputNode
{
    public Words8 InputCv;
    public BlockBuffer Block;
    public ulong Counter;
    public uint BlockLength;
    public uint Flags;

    public static OutputNode ForParent(in Words8 left, in Words8 right, in Words8 key, uint flags)
    {
        var node = new OutputNode { InputCv = key, Counter = 0, BlockLength = Constants.BlockLength, Flags = flags | Constants.Parent };
        HashMany.WriteCv(left, node.Block[..Constants.OutLength]);
        HashMany.WriteCv(right, node.Block[Constants.OutLength..]);
        return node;
    }

    public readonly Words8 ChainingValue()
    {
        var cv = InputCv;
        ScalarCompressor.CompressInPlace(ref cv, Block, Counter, BlockLength, Flags);
        return cv;
    }

    /// <summary>Fills <paramref name="output"/> with root output bytes starting at <paramref name="position"/>.</summary>
    public readonly void RootBytes(ulong position, Span<byte> output)
    {
        var blockIndex = position / Constants.BlockLength;
        var skip = (int)(position % Constants.BlockLength);
        Span<byte> blockBytes = stackalloc byte[Constants.BlockLength];
        Words16 words = default;
        while (!output.IsEmpty)
        {
            ScalarCompressor.CompressXof(InputCv, Block, blockIndex, BlockLength, Flags | Constants.Root, ref words);
            for (var i = 0; i < 16; i++) BinaryPrimitives.WriteUInt32LittleEndian(blockBytes[(4 * i)..], words[i]);
            var take = Math.Min(Constants.BlockLength - skip, output.Length);
            blockBytes.Slice(skip, take).CopyTo(output);
            output = output[take..];
            skip = 0;
            blockIndex++;
        }
        words = default;
        blockBytes.Clear();
    }
}
