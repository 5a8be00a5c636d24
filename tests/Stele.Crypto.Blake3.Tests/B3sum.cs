using System.Diagnostics;

namespace Stele.Crypto.Blake3.Tests;

/// <summary>The official b3sum binary as an oracle. Missing b3sum fails the test; it never skips.</summary>
internal static class B3sum
{
    private static readonly Lazy<string?> Location = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "b3sum"))
            .FirstOrDefault(File.Exists));

    public static string Path_ => Location.Value
        ?? throw new InvalidOperationException("b3sum not found on PATH: install b3sum: apt-get install b3sum");

    /// <summary>Runs b3sum on a file and returns the hex it prints (the first field).</summary>
    public static string Run(string file, IEnumerable<string> options, byte[]? standardInput = null)
    {
        var start = new ProcessStartInfo(Path_)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var option in options) start.ArgumentList.Add(option);
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            process.StandardInput.BaseStream.Write(standardInput);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"b3sum failed ({process.ExitCode}): {error}");
        return output.Split(' ', 2)[0].Trim();
    }
}
