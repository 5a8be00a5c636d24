using Npgsql;
using Stele.Testing;

namespace Stele.Migrations.Tests;

public sealed class DatabaseBootstrapTests
{
    [Fact]
    public async Task Creates_a_missing_database_once()
    {
        var name = "stele_t_boot_" + Guid.NewGuid().ToString("N")[..12];
        var target = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString) { Database = name }.ConnectionString;
        try
        {
            Assert.True(await DatabaseBootstrap.EnsureDatabaseExistsAsync(target));
            Assert.False(await DatabaseBootstrap.EnsureDatabaseExistsAsync(target));

            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            Assert.Equal(name, connection.Database);
        }
        finally
        {
            var admin = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString) { Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseBootstrap.QuoteIdentifier(name)} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public void Identifiers_are_quoted_safely()
    {
        Assert.Equal("\"a\"\"b\"", DatabaseBootstrap.QuoteIdentifier("a\"b"));
        Assert.Throws<ArgumentException>(() => DatabaseBootstrap.QuoteIdentifier("a\0b"));
    }
}
