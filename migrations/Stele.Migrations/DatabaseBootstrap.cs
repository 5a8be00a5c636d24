using Npgsql;

namespace Stele.Migrations;

/// <summary>Creates the target database when it does not exist yet (first `stele serve` / `stele migrate`).</summary>
public static class DatabaseBootstrap
{
    /// <summary>
    /// Connects to the <c>postgres</c> maintenance database of the same server and creates the
    /// connection string's database if missing. Returns true when it created it.
    /// </summary>
    public static async Task<bool> EnsureDatabaseExistsAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database ?? target.Username
            ?? throw new ArgumentException("the connection string names neither a database nor a user", nameof(connectionString));
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };

        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection))
        {
            exists.Parameters.Add(new() { Value = database });
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null) return false;
        }
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            return false; // another process created it between our check and our CREATE
        }
    }

    /// <summary>Double-quotes an identifier for SQL (CREATE DATABASE takes no parameters).</summary>
    public static string QuoteIdentifier(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (identifier.Contains('\0')) throw new ArgumentException("identifier contains NUL", nameof(identifier));
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
