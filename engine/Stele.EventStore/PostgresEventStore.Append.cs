using Npgsql;
using NpgsqlTypes;
using Stele.EventStore.Appending;
using Stele.EventStore.Serialization;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Appends events to a stream atomically if the stream is at <paramref name="expected"/>;
    /// otherwise throws <see cref="WrongExpectedVersionException"/> and writes nothing. Concurrent
    /// calls are committed together (one round trip, one transaction), each checked on its own.
    /// </summary>
    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<object> events, CancellationToken cancellationToken = default)
    {
        var append = Prepare(streamId, expected, events, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        // Group commit: concurrent appends share one round trip and one transaction (AppendBatcher).
        var result = await _batcher.AppendAsync(append).ConfigureAwait(false);
        Announce(result);
        return result;
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
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var result = new AppendResult(streamVersion, firstPosition, firstPosition + count - 1);
        Announce(result);
        return result;
    }

    /// <summary>Validates and serializes one append (refusing unregistered types) before anything is written.</summary>
    private PendingAppend Prepare(string streamId, ExpectedVersion expected, IReadOnlyList<object> events, CancellationToken cancellationToken)
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
        return new PendingAppend(streamId, expected, types, versions, payloads, cancellationToken);
    }

    private void Announce(AppendResult result)
    {
        if (_options.NotifyOnAppend) _notifier.Signal(result.LastPosition);
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
