using System.Reflection;
using Npgsql;

namespace Stele.Migrations;

/// <summary>
/// Brings a database to this binary's schema: applies pending scripts in version order inside one
/// transaction, under an advisory lock so concurrent starters do not race, and refuses to run when
/// history disagrees with the scripts (an applied script was edited, or the database is newer).
/// </summary>
public sealed class MigrationRunner
{
    // Arbitrary but fixed: every Stele binary must use the same key.
    private const long LockKey = 7596240315927650306;
    private const string ResourcePrefix = "Stele.Migrations.Scripts.";

    public MigrationRunner(IEnumerable<MigrationScript> scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        var ordered = scripts.OrderBy(s => s.Version).ToList();
        var duplicate = ordered.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new MigrationException($"two migration scripts share version {duplicate.Key}: {string.Join(", ", duplicate)}");
        Scripts = ordered;
    }

    /// <summary>The scripts, in version order.</summary>
    public IReadOnlyList<MigrationScript> Scripts { get; }

    /// <summary>The scripts shipped in this binary (migrations/*.sql, embedded at build time).</summary>
    public static MigrationRunner FromEmbeddedScripts()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => MigrationScript.FromFile(n[ResourcePrefix.Length..], ReadResource(assembly, n)));
        return new MigrationRunner(scripts);
    }

    public async Task<MigrationResult> MigrateAsync(NpgsqlDataSource dataSource, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        progress?.Report("waiting for the migration lock");
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, SchemaHistory.CreateSql, cancellationToken).ConfigureAwait(false);
            var history = await SchemaHistory.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var (pending, alreadyApplied) = Plan(history);
            if (pending.Count == 0)
            {
                progress?.Report($"schema is up to date (version {alreadyApplied.LastOrDefault()?.Version ?? 0})");
                return new MigrationResult([], alreadyApplied);
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var script in pending)
            {
                progress?.Report($"applying {script.FileName}");
                try
                {
                    await ExecuteAsync(connection, script.Sql, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex)
                {
                    throw new MigrationException($"migration {script.FileName} failed, nothing was applied: {ex.MessageText} ({ex.SqlState})", ex);
                }
                await SchemaHistory.RecordAsync(connection, script, cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            progress?.Report($"schema is at version {pending[^1].Version}");
            return new MigrationResult(pending, alreadyApplied);
        }
        finally
        {
            // Session-level lock: release it explicitly before the connection goes back to the pool.
            if (connection.State == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The history recorded in the database (empty if it was never migrated).</summary>
    public static async Task<IReadOnlyList<AppliedMigration>> ReadHistoryAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await SchemaHistory.ReadAsync(connection, cancellationToken, missingIsEmpty: true).ConfigureAwait(false);
    }

    private (List<MigrationScript> Pending, List<MigrationScript> AlreadyApplied) Plan(IReadOnlyList<AppliedMigration> history)
    {
        var known = Scripts.ToDictionary(s => s.Version);
        var alreadyApplied = new List<MigrationScript>();
        foreach (var applied in history)
        {
            if (!known.TryGetValue(applied.Version, out var script))
                throw new MigrationException(
                    $"the database has migration {applied.Version:D4}_{applied.Name}.sql, which this binary does not know: the schema is newer than this binary, refusing to start");
            if (script.Name != applied.Name || script.Checksum != applied.Checksum)
                throw new MigrationException(
                    $"migration {script.FileName} was edited after it was applied to this database (applied {applied.Version:D4}_{applied.Name}.sql with checksum {applied.Checksum[..12]}…, now {script.Checksum[..12]}…): add a new script instead of editing an applied one");
            alreadyApplied.Add(script);
        }
        var appliedVersions = history.Select(h => h.Version).ToHashSet();
        var pending = Scripts.Where(s => !appliedVersions.Contains(s.Version)).ToList();
        var newestApplied = history.Count == 0 ? 0 : history.Max(h => h.Version);
        var gap = pending.FirstOrDefault(s => s.Version < newestApplied);
        if (gap is not null)
            throw new MigrationException(
                $"migration {gap.FileName} is older than the newest applied migration ({newestApplied:D4}) but was never applied: refusing to apply scripts out of order");
        return (pending, alreadyApplied);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0; // schema changes and lock waits may legitimately take long
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new MigrationException($"embedded migration {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
