using Stele.Crypto.Blake3.Internal;

namespace Stele.Crypto.Blake3.Tests;

/// <summary>Every official vector, in every mode, at every SIMD level, through every entry point.</summary>
public sealed class OfficialVectorTests
{
    private const int XofLength = 131;

    public static TheoryData<string> Levels => new("Scalar", "V128", "V256", "V512");

    /// <summary>Update sizes, repeated until the input runs out: chunk and block edges and odd sizes.</summary>
    public static TheoryData<string, string> LevelsAndSplits()
    {
        var data = new TheoryData<string, string>();
        foreach (var level in new[] { "Scalar", "V128", "V256", "V512" })
            foreach (var split in new[] { "1", "63,64,65", "1023", "1024", "1025,7", "4096,13", "3,17000,5" })
                data.Add(level, split);
        return data;
    }

    [Fact]
    public void The_file_has_all_35_cases_up_to_100_KiB()
    {
        Assert.Equal(35, OfficialVectors.Instance.Cases.Count);
        Assert.Equal(102400, OfficialVectors.Instance.Cases.Max(c => c.InputLength));
        Assert.All(OfficialVectors.Instance.Cases, c => Assert.Equal(XofLength, c.Hash.Length));
    }

    [Fact]
    public void This_machine_runs_the_widest_kernel()
    {
        // Forcing levels only proves each kernel if the CPU really has them all.
        Assert.Equal(SimdLevel.V512, SimdLevels.Detected);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void One_shot_matches_every_vector(string levelName)
    {
        var level = Enum.Parse<SimdLevel>(levelName);
        ForEachCase((vector, mode, input) =>
        {
            var output = new byte[XofLength];
            HashModes.OneShot(mode, input, output, level, multiThreaded: false);
            return output;
        });
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Multi_threaded_one_shot_matches_every_vector(string levelName)
    {
        var level = Enum.Parse<SimdLevel>(levelName);
        ForEachCase((vector, mode, input) =>
        {
            var output = new byte[XofLength];
            HashModes.OneShot(mode, input, output, level, multiThreaded: true);
            return output;
        });
    }

    [Theory]
    [MemberData(nameof(LevelsAndSplits))]
    public void Incremental_updates_match_every_vector(string levelName, string split)
    {
        var level = Enum.Parse<SimdLevel>(levelName);
        var sizes = split.Split(',').Select(int.Parse).ToArray();
        ForEachCase((vector, mode, input) =>
        {
            using var hasher = HashModes.CreateHasher(mode, level);
            Assert.Equal(level, hasher.Level);
            var offset = 0;
            for (var i = 0; offset < input.Length; i++)
            {
                var take = Math.Min(sizes[i % sizes.Length], input.Length - offset);
                hasher.Update(input.AsSpan(offset, take));
                offset += take;
            }
            var output = new byte[XofLength];
            hasher.Finalize(output);
            Assert.Equal(HashModes.Expected(vector, mode).AsSpan(0, 32).ToArray(), hasher.Finalize().ToArray());
            return output;
        });
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Output_reader_seeks_anywhere_in_the_extended_output(string levelName)
    {
        var level = Enum.Parse<SimdLevel>(levelName);
        ForEachCase((vector, mode, input) =>
        {
            using var hasher = HashModes.CreateHasher(mode, level);
            hasher.Update(input);
            var reader = hasher.FinalizeXof();
            var output = new byte[XofLength];
            // Read out of order and across block edges: 70..131, then 0..1, 1..70.
            reader.Position = 70;
            reader.Read(output.AsSpan(70));
            Assert.Equal((ulong)XofLength, reader.Position);
            reader.Position = 0;
            reader.Read(output.AsSpan(0, 1));
            reader.Read(output.AsSpan(1, 69));
            return output;
        });
    }

    [Fact]
    public void Public_entry_points_match_the_vectors()
    {
        var vectors = OfficialVectors.Instance;
        foreach (var vector in vectors.Cases)
        {
            var input = OfficialVectors.Input(vector.InputLength);
            var xof = new byte[XofLength];

            Assert.Equal(Convert.ToHexStringLower(vector.Hash, 0, 32), Blake3.Hash(input).ToString());
            Blake3.Hash(input, xof);
            Assert.Equal(vector.Hash, xof);

            Assert.Equal(vector.KeyedHash.AsSpan(0, 32).ToArray(), Blake3.KeyedHash(vectors.Key, input).ToArray());
            Blake3.KeyedHash(vectors.Key, input, xof);
            Assert.Equal(vector.KeyedHash, xof);

            Blake3.DeriveKey(vectors.Context, input, xof);
            Assert.Equal(vector.DeriveKey, xof);

            Assert.Equal(vector.Hash.AsSpan(0, 32).ToArray(), Blake3.HashParallel(input).ToArray());
        }
    }

    private static void ForEachCase(Func<VectorCase, HashMode, byte[], byte[]> run)
    {
        foreach (var vector in OfficialVectors.Instance.Cases)
        {
            var input = OfficialVectors.Input(vector.InputLength);
            foreach (var mode in HashModes.All)
            {
                var actual = run(vector, mode, input);
                var expected = HashModes.Expected(vector, mode);
                if (!expected.AsSpan().SequenceEqual(actual))
                    Assert.Fail($"{mode}, input length {vector.InputLength}: expected {Convert.ToHexStringLower(expected)}, got {Convert.ToHexStringLower(actual)}");
            }
        }
    }
}
