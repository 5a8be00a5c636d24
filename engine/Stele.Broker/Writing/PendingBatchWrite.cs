using Npgsql;

namespace Stele.Broker.Writing;

/// <summary>
/// A batch whose event is appended in an open transaction: <see cref="CompleteAsync"/> reserves the
/// clients' sequences, stores the packed openings and commits — or rolls everything back. Owns its
/// connection and transaction; completing (successfully or not) releases them.
/// </summary>
internal sealed class PendingBatchWrite(DistilledBatch batch, NpgsqlConnection connection, NpgsqlTransaction transaction, long position)
{
    private const string Unsigned = "(-9223372036854775807 - 1)";

    // One row back per client whose first sequence in the batch is above its reserved last sequence.
    private const string ReserveSql =
        "WITH r(client_id, first_seq, last_seq) AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])), " +
        "ins AS (INSERT INTO stele.client_sequences AS s (client_id, last_sequence) SELECT client_id, last_seq FROM r " +
        "ON CONFLICT (client_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence " +
        $"WHERE (s.last_sequence # {Unsigned}) < ((SELECT r.first_seq FROM r WHERE r.client_id = EXCLUDED.client_id) # {Unsigned}) RETURNING 1) " +
        "SELECT count(*) FROM ins";

    /// <summary>The BatchDistilled event's stream position (final once committed).</summary>
    public long Position => position;

    /// <summary>Finishes the transaction; returns the position. Throws <see cref="BatchWriteException"/> when the board refuses the batch.</summary>
    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        await using var _ = connection.ConfigureAwait(false);
        await using var __ = transaction.ConfigureAwait(false);
        try
        {
            await using (var reserve = new NpgsqlCommand(ReserveSql, connection, transaction))
            {
                reserve.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Clients });
                reserve.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.FirstSequences });
                reserve.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.LastSequences });
                var reserved = (long)(await reserve.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (reserved != batch.Clients.Length)
                    throw new BatchWriteException($"{batch.Clients.Length - reserved} client(s) of the batch already used its sequence numbers (another broker or the HTTP API)");
            }
            await using (var store = new NpgsqlCommand("SELECT stele.store_packed_openings($1, $2, $3)", connection, transaction))
            {
                store.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position });
                store.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = batch.Commitments });
                store.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = batch.Openings });
                await store.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return position;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new BatchWriteException(ex.MessageText);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
