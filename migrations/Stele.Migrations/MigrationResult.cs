namespace Stele.Migrations;

/// <summary>What one <see cref="MigrationRunner.MigrateAsync"/> call did.</summary>
public sealed record MigrationResult(IReadOnlyList<MigrationScript> Applied, IReadOnlyList<MigrationScript> AlreadyApplied)
{
    /// <summary>The schema version after the run (0 if there are no scripts at all).</summary>
    public int SchemaVersion => Applied.Concat(AlreadyApplied).Select(s => s.Version).DefaultIfEmpty(0).Max();
}
