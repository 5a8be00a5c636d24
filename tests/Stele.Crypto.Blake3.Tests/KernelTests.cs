using Stele.Crypto.Blake3.Internal;

namespace Stele.Crypto.Blake3.Tests;

/// <summary>Each wide kernel against the scalar path, including cases the vectors never reach.</summary>
public sealed class KernelTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(0xFFFF_FFF8UL)]          // lanes straddle the 32-bit counter carry
    [InlineData(0x1_2345_6789_ABCDUL)]
    public void Chunk_kernels_match_scalar_at_every_level(ulong counter)
    {
        const int count = 16 + 8 + 4 + 3; // every kernel width plus a scalar tail
        var input = TestFile.Bytes(count * Constants.ChunkLength, seed: 11);
        var key = KeyWords.FromKey(TestFile.Bytes(32, seed: 12));
        var expected = Run(input, count, Constants.BlocksPerChunk, key, counter, true, SimdLevel.Scalar);
        foreach (var level in new[] { SimdLevel.V128, SimdLevel.V256, SimdLevel.V512 })
            Assert.Equal(expected, Run(input, count, Constants.BlocksPerChunk, key, counter, true, level));
    }

    [Fact]
    public void Parent_kernels_match_scalar_at_every_level()
    {
        const int count = 16 + 8 + 4 + 1;
        var input = TestFile.Bytes(count * Constants.BlockLength, seed: 13);
        var key = KeyWords.Default;
        var expected = Run(input, count, 1, key, 0, false, SimdLevel.Scalar);
        foreach (var level in new[] { SimdLevel.V128, SimdLevel.V256, SimdLevel.V512 })
            Assert.Equal(expected, Run(input, count, 1, key, 0, false, level));
    }

    [Fact]
    public void Parents_compress_in_place_over_their_children()
    {
        var cvs = TestFile.Bytes(64 * Constants.OutLength, seed: 14);
        var separate = new byte[32 * Constants.OutLength];
        HashMany.Hash(cvs, 32, 1, KeyWords.Default, 0, false, Constants.Parent, 0, 0, separate, SimdLevel.V512);
        HashMany.Hash(cvs, 32, 1, KeyWords.Default, 0, false, Constants.Parent, 0, 0, cvs, SimdLevel.V512);
        Assert.Equal(separate, cvs.AsSpan(0, separate.Length).ToArray());
    }

    private static byte[] Run(byte[] input, int count, int blocks, Words8 key, ulong counter, bool increment, SimdLevel level)
    {
        var output = new byte[count * Constants.OutLength];
        var flags = blocks == 1 ? Constants.Parent : 0;
        var start = blocks == 1 ? 0 : Constants.ChunkStart;
        var end = blocks == 1 ? 0 : Constants.ChunkEnd;
        HashMany.Hash(input, count, blocks, key, counter, increment, flags, start, end, output, level);
        return output;
    }
}
