using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stele.EndToEnd.Tests;

/// <summary>
/// The real `stele serve` as a child process (the stele.dll built beside the tests). It is always
/// stopped: <see cref="KillAsync"/> sends SIGKILL (no shutdown code runs), and Dispose kills whatever
/// is still running, so a failing test never leaves a server behind.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int MaxLogChars = 200_000;

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the server printed so far (stdout and stderr, interleaved), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>
    /// Starts `stele serve ARGS --listen ADDRESS` on <paramref name="port"/> (a free loopback port when null; a restart
    /// reuses its predecessor's so clients keep their address) and waits until /healthz answers.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, int? port = null, TimeSpan? timeout = null)
    {
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stele.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--listen");
        start.ArgumentList.Add(address.GetLeftPart(UriPartial.Authority));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in new[] { "STELE_DATABASE", "STELE_STORAGE", "STELE_CONFIG", "STELE_OPERATOR_TOKEN", "STELE_LOG_KEY" }) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet stele.dll serve"), address);
        try
        {
            await server.WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: the process dies at once, mid-request and mid-publication, with no cleanup.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        _process.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"stele serve exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "healthz"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow start on a busy machine
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"stele serve did not answer /healthz within {timeout}:\n{Log}");
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_log.Length < MaxLogChars) _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
