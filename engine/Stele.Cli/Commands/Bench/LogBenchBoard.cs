using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Stele.Api;
using Stele.Cli.Hosting;
using Stele.Client;
using Stele.Migrations;
using Stele.Projections;
using Stele.Projections.Daemon;
using Stele.Storage;

namespace Stele.Cli.Commands.Bench;

/// <summary>A throwaway board for the bench: its own database (dropped after), a temporary directory, a fresh log key.</summary>
internal sealed class LogBenchBoard : IAsyncDisposable
{
    public static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(50);

    private const string Operator = "bench-operator-token-0123456789abcdef";

    private readonly string _admin;
    private readonly string _name;
    private readonly string _directory;
    private NpgsqlDataSource? _database;
    private IObjectStore? _storage;
    private ProjectionDaemon? _daemon;
    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    private LogBenchBoard(string admin, string name, string directory)
    {
        _admin = admin;
        _name = name;
        _directory = directory;
    }

    public LogKey Key { get; } = LogKey.Generate("bench.stele.local/log");

    public Uri Address { get; private set; } = null!;

    /// <param name="autoPrepare">Npgsql's Max Auto Prepare for the board's connections (0, as `stele serve`, prepares nothing).</param>
    public static async Task<LogBenchBoard> StartAsync(string adminConnection, int autoPrepare, CancellationToken ct)
    {
        var board = new LogBenchBoard(adminConnection, $"stele_bench_log_{Guid.NewGuid():N}"[..28], Directory.CreateTempSubdirectory("stele-bench-log-").FullName);
        var connection = new NpgsqlConnectionStringBuilder(adminConnection) { Database = board._name, MaxPoolSize = 100, MaxAutoPrepare = autoPrepare }.ConnectionString;
        await DatabaseBootstrap.EnsureDatabaseExistsAsync(connection, ct);
        board._database = NpgsqlDataSource.Create(connection);
        await MigrationRunner.FromEmbeddedScripts().MigrateAsync(board._database, null, ct);
        var events = SteleServices.OpenEventStore(board._database);
        board._storage = ObjectStores.Open(ObjectStoreLocation.Parse("file://" + board._directory), null);
        board._daemon = new ProjectionDaemon(events, board._database, connection, board._storage, board.Key, new ProjectionOptions { PublishInterval = PublishInterval }, NullLogger.Instance);
        await board._daemon.StartAsync(ct);
        var api = new SubmissionApi(board._database, events, board._storage, new SubmissionApiOptions
        {
            Origin = board.Key.Origin,
            Verifier = board.Key.Verifier,
            OperatorToken = OperatorToken.FromSecret(Operator),
        });
        var port = FreePort();
        board.Address = new Uri($"http://127.0.0.1:{port}/");
        board._app = SteleServer.Build(board.Address, events, board._storage, api);
        await board._app.StartAsync(ct);
        return board;
    }

    public async Task<ClientKeys> RegisterAsync(SteleClient client, CancellationToken ct)
    {
        var keys = ClientKeys.Generate();
        await client.RegisterAsync(keys, Operator, ct);
        if (!await client.WaitForRegistrationAsync(keys.Client, TimeSpan.FromSeconds(60), ct)) throw new CliException("a bench client was not admitted within 60 s");
        return keys;
    }

    /// <summary>Reads the CPU time of this process and of the bench's PostgreSQL cluster.</summary>
    public Task<LogBenchCpu> CpuMeterAsync(CancellationToken ct) => LogBenchCpu.ForClusterAsync(_database!, ct);

    /// <summary>Concurrent one-row INSERT transactions per second into a scratch table of the bench database.</summary>
    public async Task<double> CommitBaselineAsync(int connections, TimeSpan duration, CancellationToken ct)
    {
        await using (var create = _database!.CreateCommand("CREATE TABLE IF NOT EXISTS bench_commit (id bigserial PRIMARY KEY, payload bytea)"))
            await create.ExecuteNonQueryAsync(ct);
        var commits = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var connection = await _database.OpenConnectionAsync(ct);
            while (clock.Elapsed < duration)
            {
                await using var insert = new NpgsqlCommand("INSERT INTO bench_commit (payload) VALUES ($1)", connection);
                insert.Parameters.AddWithValue(new byte[40]);
                await insert.ExecuteNonQueryAsync(ct);
                Interlocked.Increment(ref commits);
            }
        }, ct)));
        return commits / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Waits until the published checkpoint covers <paramref name="leaves"/>; returns how long that took.</summary>
    public async Task<TimeSpan> WaitPublishedAsync(long leaves, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var body = await _storage!.TryGetAsync("checkpoint", ct);
            if (body is not null)
            {
                using var reader = new StreamReader(body);
                var text = await reader.ReadToEndAsync(ct);
                if (long.Parse(text.Split('\n')[1], CultureInfo.InvariantCulture) >= leaves) return clock.Elapsed;
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new CliException($"the log did not publish {leaves} leaves within 10 minutes");
            await Task.Delay(20, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_daemon is not null)
        {
            await _daemon.StopAsync(CancellationToken.None);
            _daemon.Dispose();
        }
        if (_storage is not null) await _storage.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        Key.Dispose();
        await DropAsync(_admin, _name, _directory);
    }

    /// <summary>Removes a bench board's database and directory.</summary>
    internal static async Task DropAsync(string adminConnection, string database, string directory)
    {
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(adminConnection))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        Directory.Delete(directory, recursive: true);
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
