using System.Text;

namespace Stele.Crypto.Blake3.Tests;

/// <summary>The public surface: values, errors, and state handling.</summary>
public sealed class ApiTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void A_key_that_is_not_32_bytes_is_refused_clearly(int length)
    {
        var key = new byte[length];
        var error = Assert.Throws<ArgumentException>(() => Blake3.KeyedHash(key, [1, 2, 3]));
        Assert.Contains("exactly 32 bytes", error.Message);
        Assert.Throws<ArgumentException>(() => Blake3Hasher.CreateKeyed(key));
    }

    [Fact]
    public void Hash_values_compare_by_content_and_print_as_hex()
    {
        var a = Blake3.Hash("abc"u8);
        var b = Blake3Hash.Parse(a.ToString().ToUpperInvariant());
        var c = Blake3.Hash("abd"u8);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.True(a != c);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(64, a.ToString().Length);
        Assert.Equal(a.ToString(), Convert.ToHexStringLower(a.ToArray()));
        Assert.Throws<ArgumentException>(() => Blake3Hash.FromBytes(new byte[31]));
        Assert.Throws<FormatException>(() => Blake3Hash.Parse("abcd"));
    }

    [Fact]
    public void Finalizing_does_not_consume_the_state_and_reset_starts_over()
    {
        using var hasher = new Blake3Hasher();
        hasher.Update("hello "u8);
        var partial = hasher.Finalize();
        hasher.Update("world"u8);
        Assert.Equal(Blake3.Hash("hello "u8), partial);
        Assert.Equal(Blake3.Hash("hello world"u8), hasher.Finalize());
        hasher.Reset();
        hasher.Update("again"u8);
        Assert.Equal(Blake3.Hash("again"u8), hasher.Finalize());
    }

    [Theory]
    [InlineData(1024, 5000)]
    [InlineData(4096, 1)]
    [InlineData(512 * 1024, 512 * 1024)]
    [InlineData(3 * 1024, 2048)]
    public void Finalizing_on_a_chunk_boundary_then_continuing_matches_one_shot(int first, int second)
    {
        var input = TestFile.Bytes(first + second, seed: first ^ second);
        using var hasher = new Blake3Hasher();
        hasher.Update(input.AsSpan(0, first));
        Assert.Equal(Blake3.Hash(input.AsSpan(0, first)), hasher.Finalize());
        hasher.Update(input.AsSpan(first));
        Assert.Equal(Blake3.Hash(input), hasher.Finalize());
        var xof = new byte[100];
        hasher.Finalize(xof);
        var expected = new byte[100];
        Blake3.Hash(input, expected);
        Assert.Equal(expected, xof);
    }

    [Fact]
    public void A_disposed_hasher_cannot_be_used()
    {
        var hasher = Blake3Hasher.CreateKeyed(new byte[32]);
        hasher.Dispose();
        Assert.Throws<ObjectDisposedException>(() => hasher.Update([1]));
        Assert.Throws<ObjectDisposedException>(() => hasher.Finalize());
    }

    [Fact]
    public void Extended_output_is_a_prefix_family_and_seekable_far_away()
    {
        var input = Encoding.UTF8.GetBytes("extended output");
        var longOutput = new byte[4096 + 17];
        Blake3.Hash(input, longOutput);
        var shortOutput = new byte[100];
        Blake3.Hash(input, shortOutput);
        Assert.Equal(longOutput.AsSpan(0, 100).ToArray(), shortOutput);

        using var hasher = new Blake3Hasher();
        hasher.Update(input);
        var reader = hasher.FinalizeXof();
        reader.Position = 4000;
        Assert.Equal(longOutput.AsSpan(4000).ToArray(), reader.Read(longOutput.Length - 4000));
        // Far seek: the block counter is 64-bit, so positions past 2^32 blocks are fine.
        reader.Position = (1UL << 40) + 3;
        var far = reader.Read(10);
        reader.Position = (1UL << 40);
        Assert.Equal(far, reader.Read(13).AsSpan(3).ToArray());
    }

    [Fact]
    public void Derive_key_depends_on_the_context()
    {
        var one = new byte[32];
        var two = new byte[32];
        Blake3.DeriveKey("Stele test context one", "material"u8, one);
        Blake3.DeriveKey("Stele test context two", "material"u8, two);
        Assert.NotEqual(one, two);
        using var hasher = Blake3Hasher.CreateDeriveKey("Stele test context one");
        hasher.Update("material"u8);
        Assert.Equal(one, hasher.Finalize().ToArray());
    }

    [Fact]
    public void Secret_state_never_prints()
    {
        using var hasher = Blake3Hasher.CreateKeyed(Encoding.ASCII.GetBytes("whats the Elvish word for friend"));
        Assert.DoesNotContain("Elvish", hasher.ToString());
        Assert.DoesNotContain("whats", hasher.FinalizeXof().ToString());
    }
}
