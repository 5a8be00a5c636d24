using System.Security.Cryptography;
using Stele.Broker.Protocol;
using Stele.Crypto.Blake3;

namespace Stele.Broker.Tests.Support;

/// <summary>Well-formed datagrams for tests.</summary>
internal static class Wire
{
    public static byte[] Submit(ulong client, ulong sequence, byte[]? content = null, string mediaType = "text/plain", byte[]? signature = null, byte[]? salt = null)
    {
        content ??= RandomNumberGenerator.GetBytes(24);
        salt ??= RandomNumberGenerator.GetBytes(32);
        var commitment = new byte[32];
        Blake3.KeyedHash(salt, content, commitment);
        return new SubmitMessage
        {
            Client = client,
            Sequence = sequence,
            Salt = salt,
            Commitment = commitment,
            MediaType = System.Text.Encoding.ASCII.GetBytes(mediaType),
            Content = content,
            Signature = signature ?? [],
        }.ToArray();
    }
}
