using System.Security.Cryptography;
using Stele.Broker.Protocol;
using Stele.Crypto.Blake3;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

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

    /// <summary>A submission carrying the Ed25519 signature of <paramref name="signer"/> over its entry message (a straggler if no share comes).</summary>
    public static byte[] SignedSubmit(LogOrigin origin, Identity client, ulong sequence, Identity signer)
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        var content = new byte[] { 1, 2, 3, (byte)sequence };
        var commitment = Blake3.KeyedHash(salt, content);
        var descriptor = new EntryDescriptor(client.Id, sequence, new Commitment(commitment), (ulong)content.Length, new MediaType("text/plain"));
        var signature = signer.Ed.Sign(SigningMessages.Entry(origin, descriptor)).ToArray();
        return Submit(client.Id.Value, sequence, content, "text/plain", signature, salt);
    }
}
