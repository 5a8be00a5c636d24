using Npgsql;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>Head position, counts and every projection checkpoint (for `stele log info`).</summary>
    public async Task<EventStoreInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        long head, events, streams;
        await using (var command = new NpgsqlCommand($"""
            SELECT coalesce(max(position), 0), count(*), (SELECT count(*) FROM stele.streams)
            FROM stele.events WHERE transaction_id < {HorizonSql}
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
