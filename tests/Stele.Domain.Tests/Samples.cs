using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Content;
using Stele.Domain.Identity;

namespace Stele.Domain.Tests;

/// <summary>Deterministic keys and descriptors for codec tests.</summary>
internal static class Samples
{
    public static readonly LogOrigin Origin = new("test.stele/board");

    public static Ed25519SecretKey EdKey(byte seed) => Ed25519SecretKey.FromSeed(Enumerable.Repeat(seed, 32).ToArray());

    public static BlsSecretKey BlsKey(byte seed) => BlsSecretKey.KeyGen(Enumerable.Repeat(seed, 32).ToArray());

    public static EntryDescriptor Descriptor(ulong client, ulong sequence, string content = "vote: yes", string mediaType = "text/plain")
    {
        var salt = Salt.FromBytes(Enumerable.Repeat((byte)(sequence + 1), 32).ToArray());
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        return new EntryDescriptor(new ClientId(client), sequence, Commitment.Compute(salt, bytes), (ulong)bytes.Length, new MediaType(mediaType));
    }
}
