using System.Security.Cryptography;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Identity;

namespace Stele.Cli.Commands.Bench;

/// <summary>A stele.contents row as the API stores it for an inline entry.</summary>
internal sealed record ContentRow(byte[] Commitment, byte[] Salt, byte[] Content);

/// <summary>A registered bench client: its keys, its registration event, and fresh 100-byte entries with their openings.</summary>
internal sealed class BenchClient : IDisposable
{
    public BenchClient(LogOrigin origin)
    {
        Origin = origin;
        Ed = Ed25519SecretKey.Generate();
        Bls = BlsSecretKey.Generate();
        Id = ClientId.FromKeys(Ed.PublicKey, Bls.PublicKey);
    }

    public LogOrigin Origin { get; }
    public Ed25519SecretKey Ed { get; }
    public BlsSecretKey Bls { get; }
    public ClientId Id { get; }

    public ClientRegistered Registration() => ClientRegistrations.Sign(Origin, Ed, Bls, DateTimeOffset.UnixEpoch);

    /// <summary>A 100-byte entry under a fresh salt: its facts, descriptor and contents row.</summary>
    public (EntryFacts Facts, EntryDescriptor Descriptor, ContentRow Row) Content(ulong sequence)
    {
        var content = RandomNumberGenerator.GetBytes(100);
        var salt = Salt.NewRandom();
        var commitment = Commitment.Compute(salt, content);
        var commitmentBytes = new byte[Commitment.Length];
        commitment.CopyTo(commitmentBytes);
        var descriptor = new EntryDescriptor(Id, sequence, commitment, (ulong)content.Length, MediaType.OctetStream);
        return (new EntryFacts(Id.Value, sequence, commitmentBytes, (ulong)content.Length, MediaType.OctetStream.Value), descriptor,
            new ContentRow(commitmentBytes, salt.AsSpan().ToArray(), content));
    }

    public void Dispose()
    {
        Ed.Dispose();
        Bls.Dispose();
    }
}
