using Npgsql;
using NpgsqlTypes;

namespace Stele.EventStore.Projections;

/// <summary>
/// One database transaction for a projection: do the projection's own writes on
/// <see cref="Connection"/>/<see cref="Transaction"/>, advance its checkpoint, then commit — both
/// land or neither does. Disposing without <see cref="CommitAsync"/> rolls back.
/// Keep it short: while it is open it holds back the read horizon of the log (docs/event-store.md).
/// </summary>
public sealed class ProjectionTransaction : IAsyncDisposable
{
    private bool _finished;

    private ProjectionTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    internal static async Task<ProjectionTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new ProjectionTransaction(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A command bound to this transaction, for the projection's own writes.</summary>
    public NpgsqlCommand CreateCommand(string sql) => new(sql, Connection, Transaction);

    /// <summary>The projection's checkpoint as this transaction sees it (0 if it never ran).</summary>
    public async Task<long> GetCheckpointAsync(string projection, CancellationToken cancellationToken = default)
    {
        StreamIds.Validate(projection, "projection name");
        await using var command = CreateCommand("SELECT coalesce(max(position), 0) FROM stele.projection_checkpoints WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection, NpgsqlDbType = NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Moves the checkpoint from <paramref name="from"/> to <paramref name="to"/> (compare-and-set), or throws
    /// <see cref="CheckpointConflictException"/> when it is not at <paramref name="from"/>, e.g. because a
    /// second daemon got there first. The row stays locked until commit.
    /// </summary>
    public async Task AdvanceCheckpointAsync(string projection, long from, long to, CancellationToken cancellationToken = default)
    {
        StreamIds.Validate(projection, "projection name");
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(to, from);
        ThrowIfFinished();

        await using (var update = CreateCommand(
            "UPDATE stele.projection_checkpoints SET position = $3, updated_at = now() WHERE name = $1 AND position = $2"))
        {
            Bind(update, projection, from, to);
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1) return;
        }
        if (from == 0)
        {
            await using var insert = CreateCommand(
                "INSERT INTO stele.projection_checkpoints (name, position) SELECT $1, $3 WHERE $2 = 0 ON CONFLICT (name) DO NOTHING");
            Bind(insert, projection, from, to);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1) return;
        }
        throw new CheckpointConflictException(projection, from, await GetCheckpointAsync(projection, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sets the checkpoint back to 0 (the projection will be rebuilt from the start).</summary>
    public async Task ResetCheckpointAsync(string projection, CancellationToken cancellationToken = default)
    {
        StreamIds.Validate(projection, "projection name");
        ThrowIfFinished();
        await using var delete = CreateCommand("DELETE FROM stele.projection_checkpoints WHERE name = $1");
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection, NpgsqlDbType = NpgsqlDbType.Text });
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Commits the projection's writes and checkpoint together. If any statement in the transaction
    /// failed, PostgreSQL would silently turn COMMIT into ROLLBACK; this throws instead.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        _finished = true;
        try
        {
            await using var probe = CreateCommand("SELECT 1");
            await probe.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InFailedSqlTransaction)
        {
            await Transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            throw new EventStoreException("projection transaction failed earlier and was rolled back: neither its writes nor its checkpoint were committed", ex);
        }
        await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_finished && Connection.State == System.Data.ConnectionState.Open)
                await Transaction.RollbackAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // the connection is gone; the server rolled back already
        }
        finally
        {
            _finished = true;
            await Transaction.DisposeAsync().ConfigureAwait(false);
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void Bind(NpgsqlCommand command, string projection, long from, long to)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to, NpgsqlDbType = NpgsqlDbType.Bigint });
    }

    private void ThrowIfFinished() => ObjectDisposedException.ThrowIf(_finished, this);
}
