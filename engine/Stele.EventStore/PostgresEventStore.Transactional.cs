using Npgsql;
using NpgsqlTypes;
using Stele.EventStore.Appending;

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
        var append = Prepare(streamId, expected, events, cancellationToken);

        await using var command = new NpgsqlCommand(
            "SELECT ok, first_position, stream_version FROM stele.append_events($1, $2, $3, $4, $5, $6)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = append.Types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = append.SchemaVersions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = append.Payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = _options.NotifyOnAppend, NpgsqlDbType = NpgsqlDbType.Boolean });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ToResult(streamId, expected, append.Count, reader.GetBoolean(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>
    /// Several appends (to different streams or the same one, applied in order) inside a transaction
    /// the caller owns, in one round trip: how a caller runs its own group commit. Same rules as
    /// <see cref="AppendInTransactionAsync"/>: the FIRST write of the transaction; a version conflict
    /// on any append throws <see cref="WrongExpectedVersionException"/> and the caller must roll back.
    /// Nothing is announced to subscribers: call <see cref="AnnounceCommitted"/> after the commit.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendManyInTransactionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(appends);
        if (appends.Count == 0) throw new ArgumentException("append needs at least one stream append", nameof(appends));
        var pending = appends.Select(a => Prepare(a.StreamId, a.Expected, a.Events, cancellationToken)).ToList();

        await using var command = AppendBatchCommand.On(connection, transaction);
        var outcomes = await command.ExecuteAsync(pending, cancellationToken).ConfigureAwait(false);
        var results = new AppendResult[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            results[i] = outcomes[i].ToResult(pending[i])
                ?? throw new WrongExpectedVersionException(pending[i].StreamId, pending[i].Expected, outcomes[i].StreamVersion);
        }
        return results;
    }

    /// <summary>
    /// Wakes subscribers after the caller committed appends made with
    /// <see cref="AppendManyInTransactionAsync"/> (one coalesced NOTIFY, outside any transaction).
    /// </summary>
    public void AnnounceCommitted(AppendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Announce(result);
    }
}

/// <summary>One stream's share of <see cref="PostgresEventStore.AppendManyInTransactionAsync"/>.</summary>
public sealed record StreamAppend(string StreamId, ExpectedVersion Expected, IReadOnlyList<object> Events);
