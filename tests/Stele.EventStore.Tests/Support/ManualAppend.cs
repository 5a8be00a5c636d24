using Npgsql;

namespace Stele.EventStore.Tests.Support;

/// <summary>
/// Drives the append protocol by hand (begin_append, then INSERT, then COMMIT) so tests can pause
/// inside the transaction, or kill it, the way a slow or crashing writer would.
/// </summary>
public sealed class ManualAppend : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private ManualAppend(NpgsqlConnection connection, NpgsqlTransaction transaction, int backendPid)
    {
        _connection = connection;
        _transaction = transaction;
        BackendPid = backendPid;
    }

    public int BackendPid { get; }

    public long FirstPosition { get; private set; }

    public long StreamVersion { get; private set; }

    public static async Task<ManualAppend> BeginAsync(NpgsqlDataSource dataSource)
    {
        var connection = await dataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        return new ManualAppend(connection, transaction, connection.ProcessID);
    }

    /// <summary>Reserves positions and moves the stream; returns false on a version conflict.</summary>
    public async Task<bool> ReserveAsync(string stream, long expected, int count)
    {
        await using var command = new NpgsqlCommand("SELECT ok, first_position, stream_version FROM stele.begin_append($1, $2, $3)", _connection, _transaction);
        command.Parameters.Add(new() { Value = stream });
        command.Parameters.Add(new() { Value = expected });
        command.Parameters.Add(new() { Value = count });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        FirstPosition = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        StreamVersion = reader.GetInt64(2);
        return reader.GetBoolean(0);
    }

    /// <summary>Inserts <paramref name="count"/> "deposited" events at the reserved positions.</summary>
    public async Task InsertDepositsAsync(string stream, int count)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO stele.events (position, stream_id, stream_version, event_type, schema_version, payload)
            SELECT $1 + i, $2, $3 - $4 + 1 + i, 'deposited', 1, jsonb_build_object('account', $2, 'amount', $1 + i)
            FROM generate_series(0, $4 - 1) AS i
            """, _connection, _transaction);
        command.Parameters.Add(new() { Value = FirstPosition });
        command.Parameters.Add(new() { Value = stream });
        command.Parameters.Add(new() { Value = StreamVersion });
        command.Parameters.Add(new() { Value = count });
        await command.ExecuteNonQueryAsync();
    }

    public Task CommitAsync() => _transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync();
        }
        catch (NpgsqlException)
        {
            // killed on purpose by the test
        }
        await _connection.DisposeAsync();
    }
}
