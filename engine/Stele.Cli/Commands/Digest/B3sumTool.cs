using System.Diagnostics;

namespace Stele.Cli.Commands.Digest;

/// <summary>The official `b3sum` binary, used as the reference in benchmarks.</summary>
internal static class B3sumTool
{
    public static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "b3sum");
            if (File.Exists(candidate)) return candidate;
        }
        throw new CliException("b3sum not found on PATH: install it with `apt-get install b3sum`");
    }

    /// <summary>Runs b3sum with the given arguments and returns the hex digest it printed.</summary>
    public static async Task<string> DigestAsync(string b3sum, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(b3sum)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new CliException("could not start b3sum");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new CliException($"b3sum failed: {(await error).Trim()}");
        return (await output).Split(' ', 2)[0].Trim();
    }
}
