using Npgsql;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Migrations;
using Stele.Projections.Fold;
using Stele.Testing.Postgres;

namespace Stele.Projections.Tests.Support;

/// <summary>A migrated scratch database with the log event types, and helpers to post events with their openings.</summary>
internal sealed class TestLog : IAsyncDisposable
{
    private TestLog(ScratchDatabase database, PostgresEventStore events)
    {
        Database = database;
        Events = events;
    }

    public ScratchDatabase Database { get; }
    public PostgresEventStore Events { get; }
    public NpgsqlDataSource DataSource => Database.DataSource;

    public static async Task<TestLog> CreateAsync()
    {
        var database = await ScratchDatabase.CreateAsync();
        await MigrationRunner.FromEmbeddedScripts().MigrateAsync(database.DataSource);
        var events = new PostgresEventStore(database.DataSource, new EventTypeRegistryBuilder().AddLogEvents().Build());
        return new TestLog(database, events);
    }

    /// <summary>Stores the openings (as the API does) and appends the events to the log stream.</summary>
    public async Task PostAsync(OpeningTable openings, params object[] events)
    {
        await StoreOpeningsAsync(openings, events);
        await Events.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, events);
    }

    public async Task StoreOpeningsAsync(OpeningTable openings, IEnumerable<object> events)
    {
        var facts = events.SelectMany(e => e switch
        {
            EntrySubmitted s => [s.Entry],
            BatchSubmitted b => b.Entries,
            BatchDistilled d => d.Entries,
            _ => Array.Empty<EntryFacts>(),
        });
        await using var connection = await DataSource.OpenConnectionAsync();
        foreach (var f in facts)
        {
            var commitment = Commitment.FromBytes(f.Commitment);
            if (!openings.TryGet(commitment, out var opening)) continue;
            await using var command = new NpgsqlCommand(
                "INSERT INTO stele.contents (commitment, salt, size, content, blob_key) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", connection);
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = f.Commitment });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = opening.Salt.AsSpan().ToArray() });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)opening.Size });
            command.Parameters.Add(new NpgsqlParameter { Value = opening.Content is { } c ? c.ToArray() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)opening.BlobKey ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync();
        }
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}
