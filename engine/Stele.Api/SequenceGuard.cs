using System.Collections.Concurrent;
using Npgsql;
using Stele.Domain.Identity;

namespace Stele.Api;

/// <summary>
/// The API's early replay check: a client's sequence numbers must strictly increase. It remembers
/// the last sequence this process saw accepted per client and asks stele.client_sequences only for
/// a client it has not seen yet, so a steady stream of submissions costs no extra query. A remembered
/// value can only lag the truth (sequences never go down), so a refusal here is always right; what
/// passes is decided for real by the submission's transaction.
/// </summary>
internal sealed class SequenceGuard(NpgsqlDataSource database)
{
    private readonly ConcurrentDictionary<ClientId, ulong> _lastAccepted = new();

    public async ValueTask<bool> IsFreshAsync(ClientId client, ulong firstSequence, CancellationToken cancellationToken)
    {
        if (!_lastAccepted.TryGetValue(client, out var last))
        {
            var stored = await LoadAsync(client, cancellationToken).ConfigureAwait(false);
            if (stored is null) return true;
            last = Remember(client, stored.Value);
        }
        return firstSequence > last;
    }

    /// <summary>Records a committed submission's last sequence.</summary>
    public void Accepted(ClientId client, ulong lastSequence) => Remember(client, lastSequence);

    private ulong Remember(ClientId client, ulong sequence) =>
        _lastAccepted.AddOrUpdate(client, sequence, (_, known) => Math.Max(known, sequence));

    private async Task<ulong?> LoadAsync(ClientId client, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT last_sequence FROM stele.client_sequences WHERE client_id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)client.Value) });
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is long last ? unchecked((ulong)last) : null; // u64 stored in bigint bit for bit
    }
}
