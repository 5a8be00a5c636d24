using System.Text;
using Stele.Crypto.Blake3.Internal;

namespace Stele.Crypto.Blake3.Tests;

/// <summary>Our output against the official b3sum on every size class, in every mode.</summary>
public sealed class B3sumCrossCheckTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("stele b3sum cross-check key 32 b");
    private const string Context = "Stele 2026-11-21 b3sum cross-check context";

    public static TheoryData<int> Sizes => new(
        0, 1, 63, 64, 65, 1023, 1024, 1025, 2048, 2049, 3 * 1024 + 1, 16 * 1024, 16 * 1024 + 1,
        31 * 1024 + 17, 64 * 1024, 200_000, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 5 * (1 << 20) + 123);

    [Fact]
    public void The_key_is_32_bytes() => Assert.Equal(32, Key.Length);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_mode_and_level_agrees_with_b3sum(int size)
    {
        var input = TestFile.Bytes(size, seed: size);
        using var file = TestFile.Write(input);
        var expectedHash = B3sum.Run(file.Path, []);
        var expectedKeyed = B3sum.Run(file.Path, ["--keyed"], Key);
        var expectedDerived = B3sum.Run(file.Path, ["--derive-key", Context]);
        var expectedLong = B3sum.Run(file.Path, ["--length", "300"]);

        Assert.Equal(expectedHash, Blake3.Hash(input).ToString());
        Assert.Equal(expectedKeyed, Blake3.KeyedHash(Key, input).ToString());
        var derived = new byte[32];
        Blake3.DeriveKey(Context, input, derived);
        Assert.Equal(expectedDerived, Convert.ToHexStringLower(derived));
        var xof = new byte[300];
        Blake3.Hash(input, xof);
        Assert.Equal(expectedLong, Convert.ToHexStringLower(xof));
        Assert.Equal(expectedHash, Blake3.HashParallel(input).ToString());

        foreach (var level in new[] { SimdLevel.Scalar, SimdLevel.V128, SimdLevel.V256, SimdLevel.V512 })
        {
            using var hasher = Blake3Hasher.CreateKeyed(Key, level);
            // Odd update sizes so chunk state, subtrees and the chunk kept back all get exercised.
            for (var offset = 0; offset < input.Length;)
            {
                var take = Math.Min(offset % 3 == 0 ? 70_001 : 1023, input.Length - offset);
                hasher.Update(input.AsSpan(offset, take));
                offset += take;
            }
            Assert.True(expectedKeyed == hasher.Finalize().ToString(), $"keyed hash at {level}");
        }
    }

    [Fact]
    public async Task Streams_over_one_GiB_agree_with_b3sum_single_and_multi_threaded()
    {
        using var file = TestFile.WriteLarge((1L << 30) + 4097, seed: 7);
        var expected = B3sum.Run(file.Path, []);

        await using (var stream = File.OpenRead(file.Path))
        {
            long reported = 0;
            var progress = new SynchronousProgress(bytes => reported = bytes);
            Assert.Equal(expected, (await Blake3.HashStreamAsync(stream, progress)).ToString());
            Assert.Equal((1L << 30) + 4097, reported);
        }
        await using (var stream = File.OpenRead(file.Path))
            Assert.Equal(expected, (await Blake3.HashStreamAsync(stream, multiThreaded: true)).ToString());
    }

    [Fact]
    public void Multi_threaded_in_memory_hash_of_many_MiB_agrees_with_b3sum_in_every_mode()
    {
        var input = TestFile.Bytes(37 * (1 << 20) + 5, seed: 37);
        using var file = TestFile.Write(input);
        Assert.Equal(B3sum.Run(file.Path, []), Blake3.HashParallel(input).ToString());

        using var keyed = Blake3Hasher.CreateKeyed(Key);
        keyed.MultiThreaded = true;
        keyed.Update(input);
        Assert.Equal(B3sum.Run(file.Path, ["--keyed"], Key), keyed.Finalize().ToString());

        using var derive = Blake3Hasher.CreateDeriveKey(Context);
        derive.MultiThreaded = true;
        derive.Update(input);
        Assert.Equal(B3sum.Run(file.Path, ["--derive-key", Context]), derive.Finalize().ToString());
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
