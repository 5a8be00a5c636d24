using Npgsql;
using Stele.Migrations;
using Stele.Testing.Postgres;

namespace Stele.EventStore.Tests.Support;

/// <summary>A scratch database with the Stele schema migrated in; one per test class.</summary>
public sealed class EventStoreDatabase : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new();
    private readonly List<NpgsqlDataSource> _extra = [];

    public NpgsqlDataSource DataSource => _database.DataSource;

    public string ConnectionString => _database.ConnectionString;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await MigrationRunner.FromEmbeddedScripts().MigrateAsync(_database.DataSource);
    }

    public PostgresEventStore CreateStore(EventStoreOptions? options = null) => new(DataSource, TestEvents.Registry, options);

    /// <summary>A data source with its own pool (e.g. for many concurrent writers).</summary>
    public NpgsqlDataSource CreateDataSource(int maxPoolSize = 100)
    {
        var source = _database.CreateDataSource(b => b.MaxPoolSize = maxPoolSize);
        lock (_extra) _extra.Add(source);
        return source;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var source in _extra) await source.DisposeAsync();
        await _database.DisposeAsync();
    }
}
