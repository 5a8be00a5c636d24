using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Stele.Migrations;

/// <summary>One versioned SQL script, named <c>NNNN_name.sql</c>.</summary>
public sealed partial class MigrationScript
{
    public MigrationScript(int version, string name, string sql)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(sql);
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException($"migration name '{name}' must be lower-case letters, digits and underscores", nameof(name));
        Version = version;
        Name = name;
        Sql = sql;
        Checksum = ChecksumOf(sql);
    }

    public int Version { get; }
    public string Name { get; }
    public string Sql { get; }

    /// <summary>Lower-case hex SHA-256 of the script with line endings normalized to LF,
    /// so a CRLF checkout does not look like an edit.</summary>
    public string Checksum { get; }

    public string FileName => $"{Version:D4}_{Name}.sql";

    /// <summary>Parses <c>0001_event_store.sql</c> into (1, "event_store").</summary>
    public static MigrationScript FromFile(string fileName, string sql)
    {
        var match = FilePattern().Match(fileName);
        if (!match.Success)
            throw new MigrationException($"migration file '{fileName}' is not named NNNN_name.sql");
        return new MigrationScript(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value, sql);
    }

    public override string ToString() => FileName;

    internal static string ChecksumOf(string sql)
    {
        var normalized = sql.ReplaceLineEndings("\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FilePattern();

    [GeneratedRegex(@"^[a-z0-9_]+$")]
    private static partial Regex NamePattern();
}
