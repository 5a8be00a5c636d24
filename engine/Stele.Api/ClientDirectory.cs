using System.Collections.Concurrent;
using Npgsql;
using Stele.Crypto.Ed25519;
using Stele.Domain.Identity;

namespace Stele.Api;

/// <summary>
/// The registered clients' Ed25519 keys, read from stele.clients (written by the fold once it
/// accepted the registration). A client's keys never change, so found keys are cached for good;
/// misses are not, so a client becomes usable as soon as the fold admits it.
/// </summary>
public sealed class ClientDirectory(NpgsqlDataSource database)
{
    private readonly ConcurrentDictionary<ClientId, Ed25519PublicKey> _known = new();

    public async ValueTask<Ed25519PublicKey?> FindAsync(ClientId client, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(client, out var cached)) return cached;
        await using var command = database.CreateCommand("SELECT ed25519_public_key FROM stele.clients WHERE client_id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)client.Value) });
        var found = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (found is not byte[] bytes) return null;
        var key = Ed25519PublicKey.FromBytes(bytes);
        _known[client] = key;
        return key;
    }
}
