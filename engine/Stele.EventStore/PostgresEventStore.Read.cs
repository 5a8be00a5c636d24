using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
    private const string Columns = "position, stream_id, stream_version, event_type, schema_version, recorded_at, payload";

    /// <summary>
    /// The global log from <paramref name="afterPosition"/> (exclusive; 0 = from the start), in position
    /// order, fetched page by page. Only final events are returned: no event will ever appear later
    /// below the last one returned. Ends at the current head.
    /// </summary>
    public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        while (true)
        {
            var page = await ReadAllPageAsync(afterPosition, _options.PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var e in page) yield return e;
            if (page.Count < _options.PageSize) yield break;
            afterPosition = page[^1].Position;
        }
    }

    /// <summary>One stream's events from <paramref name="fromVersion"/> (inclusive; streams count from 1), in order, page by page.</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StreamIds.Validate(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        while (true)
        {
            var page = await ReadPageAsync(
                $"SELECT {Columns} FROM stele.events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3",
                command =>
                {
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
                    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _options.PageSize, NpgsqlDbType = NpgsqlDbType.Integer });
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var e in page) yield return e;
            if (page.Count < _options.PageSize) yield break;
            fromVersion = page[^1].StreamVersion + 1;
        }
    }

    /// <summary>The stream's current version (0 if it does not exist).</summary>
    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        StreamIds.Validate(streamId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM stele.streams WHERE stream_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Up to <paramref name="maxCount"/> final events after <paramref name="afterPosition"/>, in one round trip.</summary>
    public Task<IReadOnlyList<RecordedEvent>> ReadAllPageAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        // The horizon and the rows come from the same statement, hence the same snapshot.
        return ReadPageAsync(
            $"SELECT {Columns} FROM stele.events WHERE position > $1 AND transaction_id < {HorizonSql} ORDER BY position LIMIT $2",
            command =>
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterPosition, NpgsqlDbType = NpgsqlDbType.Bigint });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount, NpgsqlDbType = NpgsqlDbType.Integer });
            },
            cancellationToken);
    }

    private async Task<IReadOnlyList<RecordedEvent>> ReadPageAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        // A page is read, then the connection goes back to the pool before the caller sees any event,
        // so a slow consumer holds neither a connection nor a snapshot.
        var rows = new List<(long Position, string Stream, long Version, string Type, int Schema, DateTimeOffset At, string Json)>();
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6)));
            }
        }
        var events = new RecordedEvent[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            events[i] = new RecordedEvent(r.Position, r.Stream, r.Version, r.Type, r.Schema, r.At,
                Types.Deserialize(r.Position, r.Type, r.Schema, r.Json));
        }
        return events;
    }
}
