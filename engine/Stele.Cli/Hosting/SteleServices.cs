using Npgsql;
using Stele.Api;
using Stele.Cli.Configuration;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Migrations;
using Stele.Storage;
using Stele.Storage.S3;

namespace Stele.Cli.Hosting;

/// <summary>Opens what a command needs from resolved settings: the database and the object store.</summary>
public static class SteleServices
{
    public static NpgsqlDataSource OpenDatabase(SteleSettings settings)
    {
        try
        {
            return new NpgsqlDataSourceBuilder(settings.Database) { Name = "stele" }.Build();
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"invalid PostgreSQL connection string: {ex.Message}");
        }
    }

    /// <summary>Creates the database when missing, then applies pending migrations.</summary>
    public static async Task<MigrationResult> MigrateAsync(SteleSettings settings, NpgsqlDataSource database, IProgress<string>? progress, CancellationToken ct)
    {
        if (await DatabaseBootstrap.EnsureDatabaseExistsAsync(settings.Database, ct))
            progress?.Report("created the database");
        try
        {
            return await MigrationRunner.FromEmbeddedScripts().MigrateAsync(database, progress, ct);
        }
        catch (MigrationException ex)
        {
            throw new CliException($"migration refused: {ex.Message}");
        }
    }

    public static PostgresEventStore OpenEventStore(NpgsqlDataSource database) =>
        new(database, new EventTypeRegistryBuilder().AddLogEvents().Build());

    /// <summary>
    /// The submission API for `stele serve`. The operator token comes from <paramref name="operatorTokenFile"/>
    /// (--operator-token-file), else <paramref name="configuredToken"/> ($STELE_OPERATOR_TOKEN or the config's
    /// operatorToken, see <see cref="SteleSettings.OperatorToken"/>); without one, registration answers 403.
    /// </summary>
    public static SubmissionApi OpenSubmissionApi(
        NpgsqlDataSource database, PostgresEventStore events, IObjectStore storage, LogOrigin origin, Stele.Tlog.Notes.NoteVerifierKey verifier,
        string? operatorTokenFile, string? configuredToken)
    {
        OperatorToken? token = null;
        try
        {
            if (operatorTokenFile is not null)
                token = File.Exists(operatorTokenFile) ? OperatorToken.FromFile(operatorTokenFile) : throw new CliException($"operator token file not found: {operatorTokenFile}");
            else if (configuredToken is { Length: > 0 } secret)
                token = OperatorToken.FromSecret(secret);
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"invalid operator token: {ex.Message}");
        }
        return new SubmissionApi(database, events, storage, new SubmissionApiOptions { Origin = origin, Verifier = verifier, OperatorToken = token });
    }

    public static IObjectStore OpenStorage(SteleSettings settings)
    {
        if (!ObjectStoreLocation.TryParse(settings.Storage, out var location) || location is null)
            throw new CliException($"invalid storage location '{settings.Storage}': use file:///path or s3://bucket/prefix");
        S3Settings? s3 = null;
        if (location is S3Location)
        {
            if (settings.S3AccessKey is null || settings.S3SecretKey is null)
                throw new CliException("s3:// storage needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or s3.accessKey/s3.secretKey in the config file)");
            var endpoint = settings.S3Endpoint is null ? null
                : Uri.TryCreate(settings.S3Endpoint, UriKind.Absolute, out var uri) ? uri
                : throw new CliException($"invalid S3 endpoint '{settings.S3Endpoint}': expected an http:// or https:// URL");
            s3 = new S3Settings(endpoint, settings.S3Region, settings.S3AccessKey, settings.S3SecretKey);
        }
        return ObjectStores.Open(location, s3);
    }
}
