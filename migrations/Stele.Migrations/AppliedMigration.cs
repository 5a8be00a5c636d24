namespace Stele.Migrations;

/// <summary>A row of stele.schema_history.</summary>
public sealed record AppliedMigration(int Version, string Name, string Checksum, DateTimeOffset AppliedAt);
