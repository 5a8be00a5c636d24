using Npgsql;
using NpgsqlTypes;
using Stele.EventStore.Projections;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>Opens a transaction for a projection's writes and checkpoint (see <see cref="ProjectionTransaction"/>).</summary>
    public async Task<ProjectionTransaction> BeginProjectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ProjectionTransaction.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The projection's committed checkpoint: the last position it processed (0 = none).</summary>
    public async Task<long> GetCheckpointAsync(string projection, CancellationToken cancellationToken = default)
    {
        StreamIds.Validate(projection, "projection name");
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT coalesce(max(position), 0) FROM stele.projection_checkpoints WHERE name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection, NpgsqlDbType = NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
