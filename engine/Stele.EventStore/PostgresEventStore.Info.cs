using Npgsql;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Head position, counts and every projection checkpoint (for `stele log info`). Never scans
    /// the log: the head is one backward step on the position index, and the event count is the sum
    /// of the streams' versions (a stream's version is its number of events, and both tables are
    /// written in the same transaction), so the cost grows with streams, not events.
    /// </summary>
    public async Task<EventStoreInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        long head, events, streams;
        await using (var command = new NpgsqlCommand($"""
            SELECT (SELECT coalesce(max(position), 0) FROM stele.events WHERE transaction_id < {HorizonSql}),
                   coalesce(sum(version), 0)::bigint, count(*)
            FROM stele.streams
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (head, events, streams) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        var checkpoints = new List<ProjectionCheckpoint>();
        await using (var command = new NpgsqlCommand("SELECT name, position, updated_at FROM stele.projection_checkpoints ORDER BY name", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                checkpoints.Add(new ProjectionCheckpoint(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return new EventStoreInfo(head, events, streams, checkpoints);
    }
}
