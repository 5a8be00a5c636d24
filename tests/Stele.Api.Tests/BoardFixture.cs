using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Stele.Client;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Migrations;
using Stele.Storage;
using Stele.Storage.S3;
using Stele.Testing;

namespace Stele.Api.Tests;

/// <summary>
/// A real board for one test: a fresh PostgreSQL database with every migration, an object store
/// (a temporary directory or an s3rver bucket) and the real ASP.NET Core app with the submission
/// API on a loopback port.
/// </summary>
public sealed class BoardFixture : IAsyncDisposable
{
    public const string OperatorSecret = "test-operator-token-0123456789abcdef";

    private readonly string _database;
    private readonly string? _directory;
    private WebApplication? _app;

    private BoardFixture(string database, string? directory)
    {
        _database = database;
        _directory = directory;
    }

    public NpgsqlDataSource Database { get; private set; } = null!;
    public PostgresEventStore Events { get; private set; } = null!;
    public IObjectStore Storage { get; private set; } = null!;
    public Stele.Projections.LogKey LogKey { get; } = Stele.Projections.LogKey.Generate("test.stele/board");
    public LogOrigin Origin => LogKey.Origin;
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(5) };
    public string? Directory => _directory;

    public static async Task<BoardFixture> StartAsync(
        bool s3 = false, long maxEntrySize = SubmissionApiOptions.DefaultMaxEntrySize, long maxBatchBodySize = 64L << 20, TimeSpan? waitRecheck = null)
    {
        var name = $"stele_api_{Guid.NewGuid():N}"[..26];
        var directory = s3 ? null : System.IO.Directory.CreateTempSubdirectory("stele-api-").FullName;
        var board = new BoardFixture(name, directory);
        var connection = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString) { Database = name, MaxPoolSize = 50 }.ConnectionString;
        await DatabaseBootstrap.EnsureDatabaseExistsAsync(connection);
        board.Database = NpgsqlDataSource.Create(connection);
        await MigrationRunner.FromEmbeddedScripts().MigrateAsync(board.Database, null, CancellationToken.None);
        board.Events = new PostgresEventStore(board.Database, new EventTypeRegistryBuilder().AddLogEvents().Build());
        if (s3)
        {
            var bucket = new S3ObjectStore(S3Settings.ForS3rver(new Uri(TestServers.S3Endpoint)), "stele-api-" + Guid.NewGuid().ToString("N")[..16]);
            await bucket.EnsureBucketAsync();
            board.Storage = bucket;
        }
        else
        {
            board.Storage = ObjectStores.Open(ObjectStoreLocation.Parse("file://" + directory), null);
        }
        var api = new SubmissionApi(board.Database, board.Events, board.Storage, new SubmissionApiOptions
        {
            Origin = board.Origin,
            OperatorToken = OperatorToken.FromSecret(OperatorSecret),
            Verifier = board.LogKey.Verifier,
            MaxEntrySize = maxEntrySize,
            MaxBatchBodySize = maxBatchBodySize,
            WaitRecheckInterval = waitRecheck ?? TimeSpan.FromSeconds(1),
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        board._app = builder.Build();
        board._app.MapSteleSubmissionApi(api);
        await board._app.StartAsync();
        var address = board._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        board.BaseAddress = new Uri(address + "/");
        board.Http.BaseAddress = board.BaseAddress;
        return board;
    }

    public SteleClient NewClient() => new(BaseAddress, Origin, LogKey.Verifier);

    /// <summary>Registers through the API, then admits the client as the fold would (stele.clients row).</summary>
    public async Task<ClientKeys> RegisterAndAdmitAsync(SteleClient client)
    {
        var keys = ClientKeys.Generate();
        var position = await client.RegisterAsync(keys, OperatorSecret);
        await AdmitAsync(keys, position);
        return keys;
    }

    // Stands in for P1's fold, which writes this read model when it accepts a ClientRegistered.
    public async Task AdmitAsync(ClientKeys keys, long position)
    {
        await using var insert = Database.CreateCommand(
            "INSERT INTO stele.clients (client_id, ed25519_public_key, bls_public_key, leaf_index, position) VALUES ($1, $2, $3, $4, $4)");
        insert.Parameters.AddWithValue(unchecked((long)keys.Client.Value));
        insert.Parameters.AddWithValue(keys.Ed25519PublicKey.ToArray());
        insert.Parameters.AddWithValue(keys.BlsPublicKey.ToBytes());
        insert.Parameters.AddWithValue(position);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>What a refused request must not have changed: events, contents rows, packed opening rows, sequences, blob objects.</summary>
    public async Task<Trace> TraceAsync()
    {
        await using var command = Database.CreateCommand(
            "SELECT (SELECT count(*) FROM stele.events), (SELECT count(*) FROM stele.contents), (SELECT count(*) FROM stele.client_sequences), (SELECT count(*) FROM stele.registrations), " +
            "(SELECT count(*) FROM stele.packed_openings)");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var blobs = new List<string>();
        await foreach (var item in Storage.ListAsync("blob/")) blobs.Add(item.Key);
        return new Trace(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), blobs.Count);
    }

    /// <summary>
    /// POSTs the first half of <paramref name="body"/> (announcing all of it) and closes the sending side;
    /// returns once the server answered or closed the connection (or after 30 s).
    /// </summary>
    public async Task PostHalfABodyAsync(string path, string contentType, byte[] body)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(BaseAddress.Host, BaseAddress.Port);
        var stream = socket.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {BaseAddress.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
        await stream.FlushAsync();
        socket.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var reply = new byte[4096];
        try { _ = await stream.ReadAsync(reply).AsTask().WaitAsync(TimeSpan.FromSeconds(30)); } catch (Exception ex) when (ex is IOException or TimeoutException) { }
    }

    /// <summary>Sends <paramref name="request"/>; asserts the status and problem code, and that nothing was stored.</summary>
    public async Task AssertRefusedAsync(HttpRequestMessage request, int status, string code)
    {
        var before = await TraceAsync();
        using (request)
        using (var response = await Http.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
            Assert.Contains($"\"code\":\"{code}\"", body);
            Assert.Contains("\"error\":\"", body);
        }
        Assert.Equal(before, await TraceAsync());
    }

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = Database.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.AddWithValue(p);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        Http.Dispose();
        await Storage.DisposeAsync();
        await Database.DisposeAsync();
        LogKey.Dispose();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServers.PostgresConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
        if (_directory is not null) System.IO.Directory.Delete(_directory, recursive: true);
    }
}

public sealed record Trace(long Events, long Contents, long Sequences, long Registrations, long PackedOpenings, int Blobs);
