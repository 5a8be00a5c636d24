using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Identity;
using Stele.Domain.Records;
using Stele.Domain.Signing;

namespace Stele.Reader.Tests.Support;

/// <summary>A client with both keys, able to register and sign as the log format says.</summary>
internal sealed class TestClient : IDisposable
{
    private ulong _sequence;

    public TestClient()
    {
        Ed25519 = Ed25519SecretKey.Generate();
        Bls = BlsSecretKey.Generate();
        Id = ClientId.FromKeys(Ed25519.PublicKey, Bls.PublicKey);
    }

    public Ed25519SecretKey Ed25519 { get; }
    public BlsSecretKey Bls { get; }
    public ClientId Id { get; }

    public ulong NextSequence() => ++_sequence;

    /// <summary>Makes the next entry reuse the last sequence number (a replay).</summary>
    public void Rewind() => _sequence--;

    public RegistrationRecord Registration(LogOrigin origin) =>
        new(Id, Ed25519.PublicKey, Bls.PublicKey, Bls.ProvePossession(),
            Ed25519.Sign(SigningMessages.Registration(origin, Id, Ed25519.PublicKey, Bls.PublicKey)));

    public void Dispose()
    {
        Ed25519.Dispose();
        Bls.Dispose();
    }
}
