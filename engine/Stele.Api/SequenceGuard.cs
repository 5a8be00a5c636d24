using Npgsql;
using Stele.Domain.Identity;

namespace Stele.Api;

/// <summary>
/// The API's replay guard on stele.client_sequences: a client's sequence numbers must strictly
/// increase. Sequences are unsigned 64-bit stored in bigint bit for bit, so comparisons flip the
/// sign bit to order them as unsigned.
/// </summary>
internal static class SequenceGuard
{
    // XOR with the sign bit maps unsigned order onto signed order.
    private const string Unsigned = "(-9223372036854775807 - 1)";

    /// <summary>A cheap early check before the body is read; the transaction decides for real.</summary>
    public static async Task<bool> IsFreshAsync(NpgsqlDataSource database, ClientId client, ulong firstSequence, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            $"SELECT (last_sequence # {Unsigned}) < ($2 # {Unsigned}) FROM stele.client_sequences WHERE client_id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)client.Value) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)firstSequence) });
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is not bool fresh || fresh;
    }
}
