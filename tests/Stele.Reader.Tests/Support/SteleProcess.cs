using System.Diagnostics;

namespace Stele.Reader.Tests.Support;

/// <summary>The real `stele` CLI (stele.dll, built beside the tests) as a child process: exit code, stdout, stderr.</summary>
internal static class SteleProcess
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stele.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("STELE_LOG_VERIFIER");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
