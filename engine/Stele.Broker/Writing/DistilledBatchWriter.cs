using Npgsql;
using Stele.Domain.Events;
using Stele.EventStore;

namespace Stele.Broker.Writing;

/// <summary>
/// Appends a distilled batch in ONE transaction: the BatchDistilled event to the log stream (the
/// transaction's first write, as the event store requires), each client's sequence reservation in
/// stele.client_sequences (the replay guard the HTTP API shares), and the batch's openings PACKED in
/// one stele.packed_openings row keyed by the event's position (migration 0008), which also refuses,
/// with one set-based check, a batch holding an erased commitment. Anything failing rolls all of it back.
/// </summary>
public sealed class DistilledBatchWriter(NpgsqlDataSource database, PostgresEventStore events)
{
    private const string Unsigned = "(-9223372036854775807 - 1)";

    // One row back per client whose first sequence in the batch is above its reserved last sequence.
    private const string ReserveSql =
        "WITH r(client_id, first_seq, last_seq) AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])), " +
        "ins AS (INSERT INTO stele.client_sequences AS s (client_id, last_sequence) SELECT client_id, last_seq FROM r " +
        "ON CONFLICT (client_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence " +
        $"WHERE (s.last_sequence # {Unsigned}) < ((SELECT r.first_seq FROM r WHERE r.client_id = EXCLUDED.client_id) # {Unsigned}) RETURNING 1) " +
        "SELECT count(*) FROM ins";

    /// <summary>Writes the batch; returns its stream position. Throws <see cref="BatchWriteException"/> when the board refuses it.</summary>
    internal async Task<long> WriteAsync(DistilledBatch batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var appended = await events.AppendInTransactionAsync(
                connection, transaction, LogEventTypes.LogStream, ExpectedVersion.Any, [batch.Event], cancellationToken).ConfigureAwait(false);
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
                store.Parameters.Add(new NpgsqlParameter<long> { TypedValue = appended.FirstPosition });
                store.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = batch.Commitments });
                store.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = batch.Openings });
                await store.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return appended.FirstPosition;
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

/// <summary>The board refused a batch (e.g. a sequence conflict); the message is one line.</summary>
public sealed class BatchWriteException(string message) : Exception(message);
