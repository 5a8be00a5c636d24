using System.Diagnostics;

namespace Stele.Cli.Tests;

/// <summary>Runs the real `stele` binary as a child process and checks what a user sees.</summary>
public sealed class CliProcessTests
{
    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunStele(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "stele.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("STELE_DATABASE");
        start.Environment.Remove("STELE_CONFIG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [InlineData()]
    [InlineData("serve")]
    [InlineData("migrate")]
    [InlineData("log")]
    [InlineData("log", "info")]
    [InlineData("bench")]
    public async Task Every_command_has_help(params string[] command)
    {
        var (exit, stdout, _) = await RunStele([.. command, "--help"]);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", stdout);
    }

    [Fact]
    public async Task Unreachable_database_is_one_clear_line_and_a_nonzero_exit()
    {
        var (exit, _, stderr) = await RunStele("log", "info", "--database", "Host=127.0.0.1;Port=1;Username=postgres;Timeout=3");
        Assert.NotEqual(0, exit);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("stele: error:", lines[0]);
        Assert.Contains("PostgreSQL", lines[0]);
    }

    [Fact]
    public async Task Unknown_command_fails_with_a_nonzero_exit()
    {
        var (exit, _, stderr) = await RunStele("frobnicate");
        Assert.NotEqual(0, exit);
        Assert.Contains("frobnicate", stderr);
    }
}
