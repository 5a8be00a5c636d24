using Stele.Broker.Clients;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Identity;

namespace Stele.Broker.Tests.Support;

/// <summary>A client's two key pairs and its id, plus the directory entry a broker would load for it.</summary>
internal sealed class Identity : IDisposable
{
    public Identity()
    {
        Ed = Ed25519SecretKey.Generate();
        Bls = BlsSecretKey.Generate();
        Id = ClientId.FromKeys(Ed.PublicKey, Bls.PublicKey);
    }

    public Ed25519SecretKey Ed { get; }
    public BlsSecretKey Bls { get; }
    public ClientId Id { get; }

    public RegisteredClient Registered(ulong? last = null) =>
        ClientDirectoryLoader.Admit(Id.Value, Ed.PublicKey.ToArray(), Bls.PublicKey.ToBytes(), Bls.ProvePossession().ToBytes(), last)
        ?? throw new InvalidOperationException("test key did not verify");

    public void Dispose()
    {
        Ed.Dispose();
        Bls.Dispose();
    }
}
