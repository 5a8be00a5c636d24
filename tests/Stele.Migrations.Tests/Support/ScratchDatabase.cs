using Npgsql;
using Stele.Migrations;

namespace Stele.Testing.Postgres;

/// <summary>
/// A uniquely named database on the test cluster ($STELE_TEST_PG), created for one test class and
/// dropped afterwards, so test classes run in parallel and leave nothing behind.
/// </summary>
public sealed class ScratchDatabase : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>For tests that need a database of their own: <c>await using var db = await ScratchDatabase.CreateAsync();</c></summary>
    public static async Task<ScratchDatabase> CreateAsync()
    {
        var database = new ScratchDatabase();
        await database.InitializeAsync();
        return database;
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public string Name { get; } = "stele_t_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString);
        ConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Name }.ConnectionString;
        await using (var admin = await OpenMaintenanceAsync())
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseBootstrap.QuoteIdentifier(Name)}", admin))
            await create.ExecuteNonQueryAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>A fresh data source on this database (own pool), e.g. with different settings.</summary>
    public NpgsqlDataSource CreateDataSource(Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        configure?.Invoke(builder);
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null) await DataSource.DisposeAsync();
        await using var admin = await OpenMaintenanceAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseBootstrap.QuoteIdentifier(Name)} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenMaintenanceAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
