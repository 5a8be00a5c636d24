using System.Diagnostics;
using System.Security.Cryptography;

namespace Stele.Cli.Tests;

/// <summary>`stele digest` as a user runs it, checked against the official b3sum and .NET's SHA-256.</summary>
public sealed class DigestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stele-digest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string B3sum(string path)
    {
        ProcessStartInfo start;
        try
        {
            start = new ProcessStartInfo("b3sum") { RedirectStandardOutput = true, ArgumentList = { path } };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("install b3sum: apt-get install b3sum (ops/test does)");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    [InlineData(3 * 1024 * 1024 + 7)]
    public async Task Blake3_line_matches_b3sum_and_sha256_line_matches_dotnet(int size)
    {
        var path = Path.Combine(_dir, $"input-{size}.bin");
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var (exit, stdout, stderr) = await CliProcessTests.RunStele("digest", "--sha256", path);

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(B3sum(path).TrimEnd('\n'), lines[0]);
        Assert.Equal($"SHA256 ({path}) = {Convert.ToHexStringLower(SHA256.HashData(bytes))}", lines[1]);
    }

    [Fact]
    public async Task A_missing_file_is_one_error_line_and_a_nonzero_exit()
    {
        var (exit, _, stderr) = await CliProcessTests.RunStele("digest", Path.Combine(_dir, "absent"));
        Assert.NotEqual(0, exit);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("absent", stderr);
    }
}
