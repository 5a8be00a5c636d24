using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Stele.Migrations;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// A real `stele serve` child process on its own throwaway database and storage directory, so its
/// memory can be read apart from the load generator's (/proc/PID/status VmHWM). Always stopped and
/// cleaned up on dispose.
/// </summary>
internal sealed class LogBenchServer : IAsyncDisposable
{
    public const string OperatorToken = "bench-large-entry-operator-token-0123456789";

    private readonly string _admin;
    private readonly string _database;
    private readonly string _directory;
    private readonly Process _process;

    private LogBenchServer(string admin, string database, string directory, Process process, Uri address)
    {
        (_admin, _database, _directory, _process, Address) = (admin, database, directory, process, address);
    }

    public Uri Address { get; }

    /// <summary>Where the server stores its objects (a directory, as the bar asks).</summary>
    public string Storage => Path.Combine(_directory, "objects");

    public static async Task<LogBenchServer> StartAsync(string adminConnection, CancellationToken ct)
    {
        var name = $"stele_bench_big_{Guid.NewGuid():N}"[..28];
        var connection = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name }.ConnectionString;
        await DatabaseBootstrap.EnsureDatabaseExistsAsync(connection, ct);
        var directory = Directory.CreateTempSubdirectory("stele-bench-big-").FullName;
        var token = Path.Combine(directory, "operator.token");
        await File.WriteAllTextAsync(token, OperatorToken, ct);
        var address = new Uri($"http://127.0.0.1:{LogBenchBoard.FreePort()}/");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "stele.dll"), "serve", "--listen", address.GetLeftPart(UriPartial.Authority),
            "--database", connection, "--storage", "file://" + Path.Combine(directory, "objects"),
            "--log-key", Path.Combine(directory, "log.key"), "--origin", "bench.stele.local/big", "--operator-token-file", token,
        })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var variable in new[] { "STELE_DATABASE", "STELE_STORAGE", "STELE_CONFIG", "STELE_OPERATOR_TOKEN", "STELE_LOG_KEY" }) start.Environment.Remove(variable);
        var process = Process.Start(start) ?? throw new CliException("cannot start `stele serve` for the large-entry bench");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LogBenchServer(adminConnection, name, directory, process, address);
        try
        {
            await server.WaitHealthyAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server's peak resident memory so far, in bytes (VmHWM).</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            var kib = line["VmHWM:".Length..].Trim().Split(' ')[0];
            return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
        }
        throw new CliException($"no VmHWM in /proc/{_process.Id}/status");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        await LogBenchBoard.DropAsync(_admin, _database, _directory);
    }

    private async Task WaitHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new CliException($"`stele serve` for the large-entry bench exited with {_process.ExitCode}");
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "healthz"), ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new CliException("`stele serve` for the large-entry bench did not answer /healthz within 2 minutes");
            await Task.Delay(200, ct);
        }
    }
}
