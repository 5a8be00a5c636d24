using System.Security.Cryptography;

namespace Stele.Crypto.Ed25519.Tests;

/// <summary>libsodium and OpenSSL must agree byte for byte on keys and (deterministic) signatures.</summary>
public sealed class OpenSslCrossCheckTests
{
    [Fact]
    public void RandomKeysAndMessagesAgreeWithOpenSsl()
    {
        for (var i = 0; i < 64; i++)
        {
            var seed = RandomNumberGenerator.GetBytes(32);
            var message = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 2048));
            using var key = Ed25519SecretKey.FromSeed(seed);

            Assert.Equal(OpenSslEd25519.PublicKeyFromSeed(seed), key.PublicKey.ToArray());
            var ours = key.Sign(message);
            Assert.Equal(OpenSslEd25519.Sign(seed, message), ours.ToArray());
            Assert.True(OpenSslEd25519.Verify(key.PublicKey.AsSpan(), message, ours.AsSpan()));
        }
    }

    [Fact]
    public void TamperedMessageFailsInBothLibraries()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        using var key = Ed25519SecretKey.FromSeed(seed);
        var message = "checkpoint"u8.ToArray();
        var signature = key.Sign(message);
        message[0] ^= 0x20;
        Assert.False(key.PublicKey.Verify(message, signature));
        Assert.False(OpenSslEd25519.Verify(key.PublicKey.AsSpan(), message, signature.AsSpan()));
    }
}
