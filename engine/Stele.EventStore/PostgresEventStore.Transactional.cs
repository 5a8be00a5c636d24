using Npgsql;
using NpgsqlTypes;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Appends events inside a transaction the caller owns, so the events and the caller's own rows
    /// commit or vanish together. The append must be the transaction's FIRST write
    /// (stele.reserve_positions refuses otherwise): append, then write the rest, then commit, and
    /// roll back on any failure. Throws <see cref="WrongExpectedVersionException"/> on a version
    /// conflict; the caller must then roll back.
    /// </summary>
    public async Task<AppendResult> AppendInTransactionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string streamId, ExpectedVersion expected,
        IReadOnlyList<object> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        StreamIds.Validate(streamId);
        var count = CheckEvents(events);
        var types = new string[count];
        var versions = new int[count];
        var payloads = new string[count];
        for (var i = 0; i < count; i++)
        {
            var info = Types.InfoFor(events[i]);
            types[i] = info.Name;
            versions[i] = info.SchemaVersion;
            payloads[i] = Types.Serialize(events[i], info);
        }

        await using var command = new NpgsqlCommand(
            "SELECT ok, first_position, stream_version FROM stele.append_events($1, $2, $3, $4, $5, $6)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = _options.NotifyOnAppend, NpgsqlDbType = NpgsqlDbType.Boolean });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ToResult(streamId, expected, count, reader.GetBoolean(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.GetInt64(2));
    }
}
