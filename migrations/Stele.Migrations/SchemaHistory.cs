using Npgsql;

namespace Stele.Migrations;

/// <summary>The stele.schema_history table: which scripts were applied, with their checksums.</summary>
internal static class SchemaHistory
{
    public const string CreateSql = """
        CREATE SCHEMA IF NOT EXISTS stele;
        CREATE TABLE IF NOT EXISTS stele.schema_history (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    public static async Task<IReadOnlyList<AppliedMigration>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken, bool missingIsEmpty = false)
    {
        if (missingIsEmpty)
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass('stele.schema_history') IS NOT NULL", connection);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!) return [];
        }
        await using var command = new NpgsqlCommand("SELECT version, name, checksum, applied_at FROM stele.schema_history ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        return rows;
    }

    public static async Task RecordAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("INSERT INTO stele.schema_history (version, name, checksum) VALUES ($1, $2, $3)", connection);
        command.Parameters.Add(new() { Value = script.Version });
        command.Parameters.Add(new() { Value = script.Name });
        command.Parameters.Add(new() { Value = script.Checksum });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
