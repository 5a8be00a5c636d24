using System.CommandLine;
using System.Text.Json;

namespace Stele.Cli.Configuration;

/// <summary>
/// The resolved configuration of one invocation. Precedence: command-line flag, then
/// environment variable, then config file, then the embedded default.
/// S3 credentials come only from the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
/// or the config file, never from flags, so they stay out of shell history and process lists; the
/// same holds for the operator token ($STELE_OPERATOR_TOKEN or <c>operatorToken</c>; a file flag exists).
/// </summary>
public sealed record SteleSettings
{
    public const string DefaultDatabase = "Host=127.0.0.1;Port=54329;Username=postgres;Database=stele";
    public const string DefaultStorage = "file://.stele/objects";

    public required string Database { get; init; }
    public required string Storage { get; init; }
    public string? S3Endpoint { get; init; }
    public string S3Region { get; init; } = "us-east-1";
    public string? S3AccessKey { get; init; }
    public string? S3SecretKey { get; init; }
    public string? SourceFile { get; init; }

    /// <summary>The log key file from $STELE_LOG_KEY or the config's <c>logKey</c> (the --log-key flag of serve beats both).</summary>
    public string? LogKeyPath { get; init; }

    /// <summary>The operator token from $STELE_OPERATOR_TOKEN or the config's <c>operatorToken</c> (a token-file flag beats both). Secret.</summary>
    public string? OperatorToken { get; init; }

    public static SteleSettings Resolve(ParseResult parse, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var file = LoadFile(parse.GetValue(GlobalOptions.Config)?.FullName ?? environment("STELE_CONFIG"));

        string? Pick(Option<string?> flag, string env, string? fromFile) =>
            parse.GetValue(flag) ?? NullIfEmpty(environment(env)) ?? fromFile;

        return new SteleSettings
        {
            Database = Pick(GlobalOptions.Database, "STELE_DATABASE", file?.Database) ?? DefaultDatabase,
            Storage = Pick(GlobalOptions.Storage, "STELE_STORAGE", file?.Storage) ?? DefaultStorage,
            S3Endpoint = Pick(GlobalOptions.S3Endpoint, "STELE_S3_ENDPOINT", file?.S3?.Endpoint),
            S3Region = Pick(GlobalOptions.S3Region, "STELE_S3_REGION", file?.S3?.Region) ?? "us-east-1",
            S3AccessKey = NullIfEmpty(environment("AWS_ACCESS_KEY_ID")) ?? file?.S3?.AccessKey,
            S3SecretKey = NullIfEmpty(environment("AWS_SECRET_ACCESS_KEY")) ?? file?.S3?.SecretKey,
            SourceFile = file?.Path,
            LogKeyPath = NullIfEmpty(environment("STELE_LOG_KEY")) ?? RelativeTo(file, file?.LogKey),
            OperatorToken = NullIfEmpty(environment("STELE_OPERATOR_TOKEN")) ?? NullIfEmpty(file?.OperatorToken),
        };
    }

    /// <summary>The connection string with any password masked, safe to print.</summary>
    public string DatabaseForDisplay => RedactPassword(Database);

    // Never print credentials: the record's generated ToString would.
    public override string ToString() =>
        $"database={DatabaseForDisplay} storage={Storage} s3-endpoint={S3Endpoint ?? "-"} region={S3Region}";

    private static string RedactPassword(string connectionString) =>
        string.Join(';', connectionString.Split(';').Select(part =>
            part.TrimStart().StartsWith("password", StringComparison.OrdinalIgnoreCase) ? "Password=***" : part));

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    // A path in a config file means the same thing from whatever directory stele runs in.
    private static string? RelativeTo(ConfigFile? file, string? path) =>
        string.IsNullOrEmpty(path) || file?.Path is null ? NullIfEmpty(path)
            : System.IO.Path.GetFullPath(path, System.IO.Path.GetDirectoryName(file.Path)!);

    private static ConfigFile? LoadFile(string? explicitPath)
    {
        var path = explicitPath ?? (File.Exists("stele.json") ? Path.GetFullPath("stele.json") : null);
        if (path is null) return null;
        if (!File.Exists(path)) throw new CliException($"config file not found: {path}");
        try
        {
            var parsed = JsonSerializer.Deserialize(File.ReadAllText(path), ConfigFileJson.Default.ConfigFile)
                ?? throw new CliException($"config file is empty: {path}");
            return parsed with { Path = path };
        }
        catch (JsonException ex)
        {
            throw new CliException($"config file {path} is not valid JSON: {ex.Message}");
        }
    }
}
