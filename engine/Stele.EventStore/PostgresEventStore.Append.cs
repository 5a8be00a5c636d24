using Npgsql;
using NpgsqlTypes;
using Stele.EventStore.Serialization;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Appends events to a stream in one transaction (one round trip), if the stream is at
    /// <paramref name="expected"/>; otherwise throws <see cref="WrongExpectedVersionException"/> and writes nothing.
    /// </summary>
    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<object> events, CancellationToken cancellationToken = default)
    {
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

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT ok, first_position, stream_version FROM stele.append_events($1, $2, $3, $4, $5, $6)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = _options.NotifyOnAppend, NpgsqlDbType = NpgsqlDbType.Boolean });
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ToResult(streamId, expected, count, reader.GetBoolean(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>
    /// Appends many events to one stream with binary COPY: same guarantees as
    /// <see cref="AppendAsync"/> (one transaction, expected-version check, consecutive positions),
    /// much faster for thousands of events. Events are serialized while they stream to the server.
    /// </summary>
    public async Task<AppendResult> BulkAppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<object> events, CancellationToken cancellationToken = default)
    {
        StreamIds.Validate(streamId);
        var count = CheckEvents(events);
        var infos = new EventTypeInfo[count];
        for (var i = 0; i < count; i++) infos[i] = Types.InfoFor(events[i]); // refuse unknown types before writing anything

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        bool ok;
        long firstPosition, streamVersion;
        await using (var begin = new NpgsqlCommand("SELECT ok, first_position, stream_version FROM stele.begin_append($1, $2, $3)", connection, transaction))
        {
            begin.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text });
            begin.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            begin.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count, NpgsqlDbType = NpgsqlDbType.Integer });
            await using var reader = await begin.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (ok, firstPosition, streamVersion) = (reader.GetBoolean(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.GetInt64(2));
        }
        if (!ok)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            throw new WrongExpectedVersionException(streamId, expected, streamVersion);
        }

        var firstVersion = streamVersion - count + 1;
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY stele.events (position, stream_id, stream_version, event_type, schema_version, payload) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < count; i++)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(firstPosition + i, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(streamId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(firstVersion + i, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(infos[i].Name, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(infos[i].SchemaVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Types.Serialize(events[i], infos[i]), NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_options.NotifyOnAppend)
        {
            await using var notify = new NpgsqlCommand($"SELECT pg_notify('{NotificationChannel}', $1)", connection, transaction);
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = (firstPosition + count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AppendResult(streamVersion, firstPosition, firstPosition + count - 1);
    }

    private static int CheckEvents(IReadOnlyList<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) throw new ArgumentException("append needs at least one event", nameof(events));
        return events.Count;
    }

    private static AppendResult ToResult(string streamId, ExpectedVersion expected, int count, bool ok, long firstPosition, long streamVersion) =>
        ok
            ? new AppendResult(streamVersion, firstPosition, firstPosition + count - 1)
            : throw new WrongExpectedVersionException(streamId, expected, streamVersion);
}
