using System.Security.Cryptography;

namespace Stele.Crypto.Ed25519.Tests;

public sealed class Ed25519KeyTests
{
    [Fact]
    public void SignatureOverOneMessageDoesNotVerifyAnother()
    {
        using var key = Ed25519SecretKey.Generate();
        var signature = key.Sign("vote: yes"u8);
        Assert.True(key.PublicKey.Verify("vote: yes"u8, signature));
        Assert.False(key.PublicKey.Verify("vote: no"u8, signature));
        Assert.False(key.PublicKey.Verify("vote: yes "u8, signature));
        Assert.False(key.PublicKey.Verify(""u8, signature));
    }

    [Fact]
    public void SignatureDoesNotVerifyUnderAnotherKey()
    {
        using var a = Ed25519SecretKey.Generate();
        using var b = Ed25519SecretKey.Generate();
        Assert.NotEqual(a.PublicKey, b.PublicKey);
        Assert.False(b.PublicKey.Verify("m"u8, a.Sign("m"u8)));
    }

    [Fact]
    public void SeedRoundTripsAndSigningIsDeterministic()
    {
        using var original = Ed25519SecretKey.Generate();
        Span<byte> seed = stackalloc byte[Ed25519SecretKey.SeedLength];
        original.ExportSeed(seed);
        using var restored = Ed25519SecretKey.FromSeed(seed);
        Assert.Equal(original.PublicKey, restored.PublicKey);
        Assert.Equal(original.Sign("entry"u8), restored.Sign("entry"u8));
    }

    [Fact]
    public void GeneratedKeysDiffer()
    {
        using var a = Ed25519SecretKey.Generate();
        using var b = Ed25519SecretKey.Generate();
        Assert.NotEqual(a.PublicKey.ToString(), b.PublicKey.ToString());
    }

    [Fact]
    public void SecretKeyNeverPrintsItsBytes()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        using var key = Ed25519SecretKey.FromSeed(seed);
        Assert.Equal("Ed25519SecretKey(***)", key.ToString());
        Assert.Equal("Ed25519SecretKey(***)", $"{key}");
    }

    [Fact]
    public void DisposedKeyRefusesToSign()
    {
        var key = Ed25519SecretKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign("m"u8));
        Assert.Throws<ObjectDisposedException>(() => key.ExportSeed(new byte[32]));
        key.Dispose(); // idempotent
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void WrongSeedLengthIsRejectedWithoutEchoingBytes(int length)
    {
        var seed = new byte[length];
        seed.AsSpan().Fill(0xAB);
        var ex = Assert.Throws<ArgumentException>(() => Ed25519SecretKey.FromSeed(seed));
        Assert.Contains($"not {length}", ex.Message);
        Assert.DoesNotContain("ab", ex.Message.Replace("Ed25519", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void WrongPublicKeyLengthIsRejected(int length) =>
        Assert.Throws<ArgumentException>(() => Ed25519PublicKey.FromBytes(new byte[length]));

    [Theory]
    [InlineData(63)]
    [InlineData(65)]
    public void WrongSignatureLengthIsRejected(int length) =>
        Assert.Throws<ArgumentException>(() => Ed25519Signature.FromBytes(new byte[length]));

    [Fact]
    public void PublicKeysCompareByValueAndPrintAsHex()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        var a = Ed25519PublicKey.FromBytes(bytes);
        var b = Ed25519PublicKey.FromHex(Convert.ToHexString(bytes));
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(Convert.ToHexStringLower(bytes), a.ToString());
        bytes[31] ^= 1;
        Assert.NotEqual(a, Ed25519PublicKey.FromBytes(bytes));
    }

    [Fact]
    public void NonSignatureBytesDoNotVerify()
    {
        using var key = Ed25519SecretKey.Generate();
        Assert.False(key.PublicKey.Verify("m"u8, Ed25519Signature.FromBytes(new byte[64])));
        var ones = new byte[64];
        ones.AsSpan().Fill(0xFF);
        Assert.False(key.PublicKey.Verify("m"u8, Ed25519Signature.FromBytes(ones)));
    }
}
