using Npgsql;
using Stele.Client;
using Stele.Projections;
using Stele.Reader;
using Stele.Reader.Sources;
using Stele.Reader.Verification;
using Stele.Storage;
using Stele.Storage.S3;
using Stele.Testing;
using Stele.Tlog.Notes;

namespace Stele.EndToEnd.Tests;

public enum StorageKind { Directory, S3 }

/// <summary>
/// One board for one test, run by the real `stele serve` process: a fresh PostgreSQL database on
/// the ops/test cluster, object storage (a temporary directory, or a bucket on the ops/test s3rver),
/// a log key the test made itself (so the verifier it trusts never comes from the server) and an
/// operator token file. The server can be killed and restarted on the same state.
/// </summary>
public sealed class EndToEndBoard : IAsyncDisposable
{
    public const string Origin = "e2e.stele.test/board";

    private readonly string _databaseName = $"stele_e2e_{Guid.NewGuid():N}"[..26];
    private readonly string _secrets = System.IO.Directory.CreateTempSubdirectory("stele-e2e-keys-").FullName;
    private readonly string? _directory;
    private readonly string _storageLocation;
    private readonly string? _bucket;
    private readonly System.Text.StringBuilder _pastLogs = new();
    private readonly Dictionary<string, string> _environment = [];

    public EndToEndBoard(StorageKind kind, string publishInterval = "100ms")
    {
        Kind = kind;
        PublishInterval = publishInterval;
        ConnectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString) { Database = _databaseName }.ConnectionString;
        using (var key = LogKey.Generate(Origin))
        {
            LogKeyFile.Write(LogKeyPath, key);
            Verifier = key.Verifier;
        }
        File.WriteAllText(OperatorTokenPath, OperatorToken);
        if (kind == StorageKind.Directory)
        {
            _directory = System.IO.Directory.CreateTempSubdirectory("stele-e2e-objects-").FullName;
            _storageLocation = "file://" + _directory;
        }
        else
        {
            _bucket = $"stele-e2e-{Guid.NewGuid():N}"[..26];
            _storageLocation = $"s3://{_bucket}/log";
            _environment["AWS_ACCESS_KEY_ID"] = "S3RVER";
            _environment["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
            _environment["STELE_S3_ENDPOINT"] = TestServers.S3Endpoint;
        }
        Database = NpgsqlDataSource.Create(ConnectionString);
    }

    public StorageKind Kind { get; }

    public string PublishInterval { get; }

    public string ConnectionString { get; }

    public string OperatorToken { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The log key the test trusts: made by the test, read by the server from its file.</summary>
    public NoteVerifierKey Verifier { get; }

    public NpgsqlDataSource Database { get; }

    public ServerProcess? Server { get; private set; }

    /// <summary>The published directory (directory variant only).</summary>
    public string? Directory => _directory;

    public string StorageLocation => _storageLocation;

    private string LogKeyPath => Path.Combine(_secrets, "log.key");

    private string OperatorTokenPath => Path.Combine(_secrets, "operator.token");

    public async Task<ServerProcess> StartServerAsync()
    {
        if (Server is { HasExited: false }) throw new InvalidOperationException("the server is already running");
        int? port = null;
        if (Server is not null)
        {
            port = Server.Address.Port;
            await Server.DisposeAsync();
            _pastLogs.Append(Server.Log).AppendLine("---- (killed; restarted) ----");
        }
        else if (_bucket is not null)
        {
            await using var bucket = new S3ObjectStore(S3Settings.ForS3rver(new Uri(TestServers.S3Endpoint)), _bucket);
            await bucket.EnsureBucketAsync();
        }
        string[] arguments =
        [
            "--database", ConnectionString, "--storage", _storageLocation, "--log-key", LogKeyPath,
            "--operator-token-file", OperatorTokenPath, "--publish-interval", PublishInterval,
        ];
        Server = await ServerProcess.StartAsync(arguments, _environment, port);
        return Server;
    }

    /// <summary>Everything every server process of this board printed, for failure messages.</summary>
    public string ServerLogs => _pastLogs + (Server?.Log ?? "");

    public SteleClient NewClient() => new(Server!.Address, new Stele.Domain.Identity.LogOrigin(Origin), Verifier, Http);

    /// <summary>Shared by the board's clients; a timeout so a request to a dying server cannot hang a test.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Registers a fresh client through the API and waits until the fold admitted it.</summary>
    public async Task<ClientKeys> RegisterAsync(SteleClient client)
    {
        var keys = ClientKeys.Generate();
        await client.RegisterAsync(keys, OperatorToken);
        if (!await client.WaitForRegistrationAsync(keys.Client, TimeSpan.FromSeconds(60)))
            throw new TimeoutException($"client {keys.Client} was not admitted within 60 s:\n{Server?.Log}");
        return keys;
    }

    /// <summary>An object store on the board's published files (the same bytes a reader sees).</summary>
    public IObjectStore OpenStorage() =>
        ObjectStores.Open(ObjectStoreLocation.Parse(_storageLocation), Kind == StorageKind.S3 ? S3Settings.ForS3rver(new Uri(TestServers.S3Endpoint)) : null);

    public ILogSource OpenSource() => new ObjectStoreLogSource(OpenStorage());

    /// <summary>Verifies the published log with Stele.Reader against the key the test trusts.</summary>
    public async Task<VerifiedLog> VerifyAsync(ReadOnlyMemory<byte>? since = null)
    {
        await using var source = OpenSource();
        return await LogReader.VerifyAsync(source, Verifier, new VerifyOptions { SinceCheckpoint = since });
    }

    public async Task<byte[]?> ReadCheckpointAsync()
    {
        await using var storage = OpenStorage();
        await using var body = await storage.TryGetAsync("checkpoint");
        if (body is null) return null;
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);
        return copy.ToArray();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = Database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        Http.Dispose();
        await Database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(TestServers.PostgresConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        System.IO.Directory.Delete(_secrets, recursive: true);
        if (_directory is not null) System.IO.Directory.Delete(_directory, recursive: true);
    }
}
