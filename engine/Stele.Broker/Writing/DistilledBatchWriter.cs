using Npgsql;
using NpgsqlTypes;
using Stele.Domain.Events;
using Stele.EventStore;

namespace Stele.Broker.Writing;

/// <summary>
/// Appends a distilled batch in ONE transaction: the BatchDistilled event to the log stream (the
/// transaction's first write, as the event store requires), each client's sequence reservation in
/// stele.client_sequences (the replay guard the HTTP API shares), and the openings by binary COPY into
/// stele.contents. Anything failing rolls all of it back. A commitment already stored (the same salt
/// and content submitted earlier) is tolerated by a slower retry that skips existing rows.
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
        try
        {
            return await WriteOnceAsync(batch, staging: false, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return await WriteOnceAsync(batch, staging: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> WriteOnceAsync(DistilledBatch batch, bool staging, CancellationToken cancellationToken)
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
            await CopyOpeningsAsync(connection, transaction, batch.Openings, staging, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return appended.FirstPosition;
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CopyOpeningsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OpeningRows rows, bool staging, CancellationToken cancellationToken)
    {
        var table = "stele.contents";
        if (staging)
        {
            await using var create = new NpgsqlCommand(
                "CREATE TEMP TABLE broker_openings (commitment bytea, salt bytea, size bigint, content bytea) ON COMMIT DROP", connection, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            table = "broker_openings";
        }
        await using (var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table} (commitment, salt, size, content) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(rows.Commitments[i], NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(rows.Salts[i], NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync((long)rows.Contents[i].Length, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(rows.Contents[i], NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        if (staging)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO stele.contents (commitment, salt, size, content) SELECT * FROM broker_openings ON CONFLICT (commitment) DO NOTHING", connection, transaction);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>The board refused a batch (e.g. a sequence conflict); the message is one line.</summary>
public sealed class BatchWriteException(string message) : Exception(message);
