using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Identity;
using Stele.Domain.Records;

namespace Stele.Reader.Verification;

/// <summary>A registered client as published: its keys, the leaf that registered it, and its BLS key once the PoP checked.</summary>
internal sealed class RegisteredClient(RegistrationRecord record, ulong leaf)
{
    public RegistrationRecord Record { get; } = record;
    public ulong Leaf { get; } = leaf;
    public Ed25519PublicKey Ed25519Key => Record.Ed25519Key;

    /// <summary>Set by the registration check; null until then (or if it failed).</summary>
    public BlsProvenPublicKey? ProvenBlsKey { get; set; }
}

/// <summary>Clients registered so far in leaf order; entries may only use clients registered at an earlier leaf.</summary>
internal sealed class ClientRegistry
{
    private readonly Dictionary<ClientId, RegisteredClient> _clients = [];

    public int Count => _clients.Count;

    public RegisteredClient Add(RegistrationRecord record, ulong leaf)
    {
        if (_clients.TryGetValue(record.Client, out var earlier))
            throw new LogVerificationException(null, leaf, $"client {record.Client} is registered twice (first at leaf {earlier.Leaf})");
        var client = new RegisteredClient(record, leaf);
        _clients.Add(record.Client, client);
        return client;
    }

    /// <summary>The client registered before <paramref name="beforeLeaf"/>, or null.</summary>
    public RegisteredClient? Find(ClientId id, ulong beforeLeaf) =>
        _clients.TryGetValue(id, out var client) && client.Leaf < beforeLeaf ? client : null;
}
