using Npgsql;
using NpgsqlTypes;

namespace Stele.EventStore.Appending;

/// <summary>
/// One prepared <c>stele.append_batch</c> call. The group-commit flusher owns its connection and
/// reuses it for every batch while appends keep coming: no pool round trip, no connection reset,
/// no re-parse per batch. <see cref="On"/> runs it inside a caller's transaction instead.
/// </summary>
internal sealed class AppendBatchCommand : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly bool _ownsConnection;
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlParameter<string[]> _streams = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long[]> _expected = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<int[]> _counts = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };
    private readonly NpgsqlParameter<string[]> _types = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<int[]> _schemaVersions = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };
    private readonly NpgsqlParameter<string[]> _payloads = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb };
    private bool _prepared;

    private AppendBatchCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool ownsConnection)
    {
        (_connection, _ownsConnection) = (connection, ownsConnection);
        _command = new NpgsqlCommand("SELECT ok, first_position, stream_version FROM stele.append_batch($1, $2, $3, $4, $5, $6)", connection, transaction);
        _command.Parameters.Add(_streams);
        _command.Parameters.Add(_expected);
        _command.Parameters.Add(_counts);
        _command.Parameters.Add(_types);
        _command.Parameters.Add(_schemaVersions);
        _command.Parameters.Add(_payloads);
    }

    /// <summary>On its own connection: each batch is its own transaction.</summary>
    public static async Task<AppendBatchCommand> OpenAsync(NpgsqlDataSource dataSource) =>
        new(await Connections.OpenAsync(dataSource, CancellationToken.None).ConfigureAwait(false), null, ownsConnection: true);

    /// <summary>Inside a transaction the caller owns (and keeps owning: disposing this leaves the connection open).</summary>
    public static AppendBatchCommand On(NpgsqlConnection connection, NpgsqlTransaction transaction) => new(connection, transaction, ownsConnection: false);

    /// <summary>Writes the batch; one outcome per append, in order.</summary>
    public async Task<BatchedAppendOutcome[]> ExecuteAsync(IReadOnlyList<PendingAppend> batch, CancellationToken cancellationToken)
    {
        var streams = new string[batch.Count];
        var expected = new long[batch.Count];
        var counts = new int[batch.Count];
        var total = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            (streams[i], expected[i], counts[i]) = (batch[i].StreamId, batch[i].Expected.Value, batch[i].Count);
            total += batch[i].Count;
        }
        var types = new string[total];
        var versions = new int[total];
        var payloads = new string[total];
        var at = 0;
        foreach (var append in batch)
        {
            append.Types.CopyTo(types, at);
            append.SchemaVersions.CopyTo(versions, at);
            append.Payloads.CopyTo(payloads, at);
            at += append.Count;
        }
        (_streams.TypedValue, _expected.TypedValue, _counts.TypedValue) = (streams, expected, counts);
        (_types.TypedValue, _schemaVersions.TypedValue, _payloads.TypedValue) = (types, versions, payloads);

        if (!_prepared)
        {
            await _command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            _prepared = true;
        }
        var results = new BatchedAppendOutcome[batch.Count];
        await using var reader = await _command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var row = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row == batch.Count) throw new EventStoreException($"stele.append_batch returned more than {batch.Count} results");
            results[row++] = new(reader.GetBoolean(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.GetInt64(2));
        }
        if (row != batch.Count) throw new EventStoreException($"stele.append_batch returned {row} results for {batch.Count} appends");
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync().ConfigureAwait(false);
        if (_ownsConnection) await _connection.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One row of <c>stele.append_batch</c>: the stream's version after the append, or its actual version when refused.</summary>
internal readonly record struct BatchedAppendOutcome(bool Ok, long FirstPosition, long StreamVersion)
{
    public AppendResult? ToResult(PendingAppend append) =>
        Ok ? new AppendResult(StreamVersion, FirstPosition, FirstPosition + append.Count - 1) : null;
}
