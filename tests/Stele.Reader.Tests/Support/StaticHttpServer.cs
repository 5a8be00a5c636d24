using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Stele.Reader.Tests.Support;

/// <summary>
/// Python's plain static file server (`python3 -m http.server`) on a free loopback port, serving a
/// directory: no Stele code on the serving side at all. Stopped (with its process tree) on dispose.
/// </summary>
internal sealed partial class StaticHttpServer : IDisposable
{
    private readonly Process _process;

    private StaticHttpServer(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public static async Task<StaticHttpServer> StartAsync(string directory)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory }) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        process.ErrorDataReceived += (_, _) => { }; // request log lines; drained so the pipe never fills
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (PortLine().Match(line) is { Success: true } match) return new StaticHttpServer(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("python3 -m http.server did not report its port");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    [GeneratedRegex(@"port (\d+)")]
    private static partial Regex PortLine();
}
