using Npgsql;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;

namespace Stele.Broker.Clients;

/// <summary>
/// Reads the stele.clients read model (written by the fold) into a <see cref="ClientDirectory"/>. Each
/// client's proof of possession is verified once, when the broker first sees it, because only a proven
/// key may enter FastAggregateVerify; known clients are carried over without re-verification.
/// </summary>
public sealed class ClientDirectoryLoader(NpgsqlDataSource database)
{
    // XOR with the sign bit maps the unsigned order of sequences onto bigint's signed order.
    private const string Sql =
        "SELECT c.client_id, c.ed25519_public_key, c.bls_public_key, c.bls_proof_of_possession, " +
        "CASE WHEN s.last_sequence IS NULL THEN c.last_sequence WHEN c.last_sequence IS NULL THEN s.last_sequence " +
        "WHEN (s.last_sequence # (-9223372036854775807 - 1)) > (c.last_sequence # (-9223372036854775807 - 1)) THEN s.last_sequence ELSE c.last_sequence END " +
        "FROM stele.clients c LEFT JOIN stele.client_sequences s ON s.client_id = c.client_id WHERE c.bls_proof_of_possession IS NOT NULL";

    public async Task<ClientDirectory> LoadAsync(ClientDirectory previous, CancellationToken cancellationToken)
    {
        var rows = new List<(ulong Id, byte[] Ed, byte[] Bls, byte[] Pop, ulong? Last)>();
        await using (var command = database.CreateCommand(Sql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((unchecked((ulong)reader.GetInt64(0)), (byte[])reader[1], (byte[])reader[2], (byte[])reader[3],
                    reader.IsDBNull(4) ? null : unchecked((ulong)reader.GetInt64(4))));
            }
        }
        var clients = new RegisteredClient?[rows.Count];
        Parallel.For(0, rows.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (id, ed, bls, pop, last) = rows[i];
            if (previous.TryGet(id, out var known))
            {
                clients[i] = known with { LastSequence = last };
                return;
            }
            clients[i] = Admit(id, ed, bls, pop, last);
        });
        return new ClientDirectory(clients.OfType<RegisteredClient>());
    }

    /// <summary>The client, or null when its keys do not parse or its PoP does not verify (the fold would not have admitted it).</summary>
    public static RegisteredClient? Admit(ulong id, byte[] ed25519, byte[] bls, byte[] pop, ulong? lastSequence)
    {
        if (!BlsPublicKey.TryFromBytes(bls, out var key, out _)) return null;
        try
        {
            if (!Bls.PopVerify(key, BlsProofOfPossession.FromBytes(pop), out var proven)) return null;
            return new RegisteredClient(id, Ed25519PublicKey.FromBytes(ed25519), proven, lastSequence);
        }
        catch (BlsFormatException)
        {
            return null;
        }
    }
}
