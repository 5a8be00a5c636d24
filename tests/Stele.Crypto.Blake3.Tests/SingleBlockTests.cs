using Stele.Crypto.Blake3.Internal;

namespace Stele.Crypto.Blake3.Tests;

/// <summary>The AVX-512 row compressor against the portable word-by-word one.</summary>
public sealed class SingleBlockTests
{
    [Fact]
    public void Row_and_portable_compressors_agree_on_random_blocks()
    {
        Assert.True(RowCompressor.IsSupported, "this machine has AVX-512VL, so the row form must be in use");
        var random = new Random(5);
        var block = new byte[64];
        var cvBytes = new byte[32];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(block);
            random.NextBytes(cvBytes);
            var counter = (ulong)random.NextInt64();
            var blockLength = (uint)random.Next(0, 65);
            var flags = (uint)random.Next(0, 128);

            var rowCv = HashMany.ReadCv(cvBytes);
            var portableCv = rowCv;
            RowCompressor.CompressInPlace(ref rowCv, block, counter, blockLength, flags);
            ScalarCompressor.PortableCompressInPlace(ref portableCv, block, counter, blockLength, flags);
            Assert.Equal(Words(portableCv), Words(rowCv));

            var input = HashMany.ReadCv(cvBytes);
            Words16 rowOut = default, portableOut = default;
            RowCompressor.CompressXof(input, block, counter, blockLength, flags, ref rowOut);
            ScalarCompressor.PortableCompressXof(input, block, counter, blockLength, flags, ref portableOut);
            Assert.Equal(Words(portableOut), Words(rowOut));
        }
    }

    private static uint[] Words(Words8 words) => [.. (ReadOnlySpan<uint>)words];

    private static uint[] Words(Words16 words) => [.. (ReadOnlySpan<uint>)words];
}
