using Npgsql;
using NpgsqlTypes;

namespace Stele.EventStore.Appending;

/// <summary>
/// One connection and one prepared <c>stele.append_batch</c> call, reused for every batch a flusher
/// writes while appends keep coming: no pool round trip, no connection reset, no re-parse per batch.
/// </summary>
internal sealed class AppendBatchCommand : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlParameter<string[]> _streams = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long[]> _expected = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<int[]> _counts = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };
    private readonly NpgsqlParameter<string[]> _types = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<int[]> _schemaVersions = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };
    private readonly NpgsqlParameter<string[]> _payloads = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb };
    private bool _prepared;

    private AppendBatchCommand(NpgsqlConnection connection)
    {
        _connection = connection;
        _command = new NpgsqlCommand("SELECT ok, first_position, stream_version FROM stele.append_batch($1, $2, $3, $4, $5, $6)", connection);
        _command.Parameters.Add(_streams);
        _command.Parameters.Add(_expected);
        _command.Parameters.Add(_counts);
        _command.Parameters.Add(_types);
        _command.Parameters.Add(_schemaVersions);
        _command.Parameters.Add(_payloads);
    }

    public static async Task<AppendBatchCommand> OpenAsync(NpgsqlDataSource dataSource) =>
        new(await Connections.OpenAsync(dataSource, CancellationToken.None).ConfigureAwait(false));

    /// <summary>Writes the batch in one transaction; one (ok, first position, stream version) per append, in order.</summary>
    public async Task<(bool Ok, long First, long Version)[]> ExecuteAsync(IReadOnlyList<PendingAppend> batch)
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
            await _command.PrepareAsync().ConfigureAwait(false);
            _prepared = true;
        }
        var results = new (bool, long, long)[batch.Count];
        await using var reader = await _command.ExecuteReaderAsync().ConfigureAwait(false);
        var row = 0;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            if (row == batch.Count) throw new EventStoreException($"stele.append_batch returned more than {batch.Count} results");
            results[row++] = (reader.GetBoolean(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.GetInt64(2));
        }
        if (row != batch.Count) throw new EventStoreException($"stele.append_batch returned {row} results for {batch.Count} appends");
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
