using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Stele.Testing;

namespace Stele.Cli.Tests;

/// <summary>The real binary against the real PostgreSQL that ops/test starts.</summary>
public sealed class ServeAndMigrateTests : IAsyncLifetime
{
    private readonly string _database = $"stele_cli_{Guid.NewGuid():N}"[..24];
    private readonly string _storage = Directory.CreateTempSubdirectory("stele-serve-").FullName;
    private readonly string _secrets = Directory.CreateTempSubdirectory("stele-serve-keys-").FullName;
    private string _connectionString = "";

    public Task InitializeAsync()
    {
        _connectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString) { Database = _database }.ConnectionString;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(_storage, recursive: true);
        Directory.Delete(_secrets, recursive: true);
        await DropDatabaseAsync(_database);
    }

    /// <summary>Drops a test's scratch database (closing this process's pooled connections to it first).</summary>
    internal static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServers.PostgresConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Migrate_creates_the_database_then_is_idempotent()
    {
        var first = await CliProcessTests.RunStele("migrate", "--database", _connectionString);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Matches(@"applied [1-9]\d*, already applied 0", first.Stdout);

        var second = await CliProcessTests.RunStele("migrate", "--database", _connectionString);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Matches(@"applied 0, already applied [1-9]\d*", second.Stdout);

        var info = await CliProcessTests.RunStele("log", "info", "--database", _connectionString, "--storage", "file://" + _storage);
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Contains("head position  0", info.Stdout);
        Assert.Contains("(none published yet)", info.Stdout);
    }

    [Fact]
    public async Task Serve_answers_health_and_serves_published_files_then_stops_on_sigterm()
    {
        File.WriteAllText(Path.Combine(_storage, "hello.txt"), "published bytes");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "stele.dll"), "serve", "--listen", $"http://127.0.0.1:{port}", "--database", _connectionString, "--storage", "file://" + _storage, "--log-key", Path.Combine(_secrets, "log.key") })
            start.ArgumentList.Add(a);
        using var server = Process.Start(start)!;
        var stderr = server.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var health = await PollAsync(() => http.GetStringAsync("/healthz"));
            Assert.StartsWith("ok head=0", health);
            Assert.Equal("published bytes", await http.GetStringAsync("/log/hello.txt"));
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/log/missing")).StatusCode);
            // The publisher signs an empty tree's checkpoint with a key it created, owner-only.
            var checkpoint = await PollAsync(() => http.GetStringAsync("/log/checkpoint"));
            Assert.StartsWith("stele.local/board\n0\n", checkpoint);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_secrets, "log.key")));
        }
        finally
        {
            Process.Start("kill", ["-TERM", server.Id.ToString()])!.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync(timeout.Token);
        }
        Assert.True(server.ExitCode == 0, await stderr);
        Assert.Contains("listening on", await stderr);
    }

    /// <summary>Retries <paramref name="call"/> while the server is not listening yet (up to 30 s).</summary>
    internal static async Task<T> PollAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return await call(); }
            catch (HttpRequestException) when (attempt < 300) { await Task.Delay(100); }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
