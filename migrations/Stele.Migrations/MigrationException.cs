namespace Stele.Migrations;

/// <summary>The database schema cannot be brought to this binary's version; the message says why and names the script.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
