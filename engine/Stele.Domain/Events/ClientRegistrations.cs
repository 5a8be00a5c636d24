using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Domain.Events;

/// <summary>Builds the registration fact of a client from its secret keys (benchmarks and tests admit clients without the HTTP API).</summary>
public static class ClientRegistrations
{
    /// <summary>The <see cref="ClientRegistered"/> event of the client holding these keys, self-signed for <paramref name="origin"/>.</summary>
    public static ClientRegistered Sign(LogOrigin origin, Ed25519SecretKey ed25519, BlsSecretKey bls, DateTimeOffset at)
    {
        var client = ClientId.FromKeys(ed25519.PublicKey, bls.PublicKey);
        return new ClientRegistered(client.Value, ed25519.PublicKey.ToArray(), bls.PublicKey.ToBytes(), bls.ProvePossession().ToBytes(),
            ed25519.Sign(SigningMessages.Registration(origin, client, ed25519.PublicKey, bls.PublicKey)).ToArray(), at);
    }
}
