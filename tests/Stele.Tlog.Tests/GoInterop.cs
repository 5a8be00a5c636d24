using System.Diagnostics;

namespace Stele.Tlog.Tests;

/// <summary>
/// Builds and runs tests/interop/go (Go's sumdb/note and sumdb/tlog) once per test run.
/// Go comes from the Debian packages golang-go and golang-golang-x-mod-dev.
/// </summary>
public sealed class GoInterop : IDisposable
{
    private const string GoPath = "/usr/share/gocode";
    private const string InstallHint =
        "install it with: apt-get update && apt-get install -y golang-go golang-golang-x-mod-dev";

    private readonly string _workDir = Directory.CreateTempSubdirectory("stele-go-interop-").FullName;
    private readonly Lazy<string> _binary;
    private readonly string? _go;

    public GoInterop() : this(FindGo()) { }

    /// <summary>With an explicit Go executable (null or missing = Go not installed).</summary>
    internal GoInterop(string? goExecutable)
    {
        _go = goExecutable is not null && File.Exists(goExecutable) ? goExecutable : null;
        _binary = new Lazy<string>(Build);
    }

    public string WorkDir => _workDir;

    /// <summary>Runs the interop program; returns (exit code, stdout, stderr).</summary>
    public (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Execute(_binary.Value, args, null);

    private string Build()
    {
        var go = _go ?? throw new InvalidOperationException($"Go is not installed (no 'go' on PATH or in /usr/lib/go/bin); {InstallHint}");
        if (!Directory.Exists(Path.Combine(GoPath, "src/golang.org/x/mod/sumdb/note")))
            throw new InvalidOperationException($"golang.org/x/mod is missing from {GoPath}; {InstallHint}");
        var source = Path.Combine(RepositoryRoot(), "tests", "interop", "go", "main.go");
        var output = Path.Combine(_workDir, "stele-interop");
        var (code, stdout, stderr) = Execute(go, ["build", "-o", output, source], new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = GoPath,
            ["GOFLAGS"] = "",
            ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "stele-go-build-cache"),
        });
        if (code != 0) throw new InvalidOperationException($"go build failed ({code}): {stderr}{stdout}");
        return output;
    }

    private static (int, string, string) Execute(string file, string[] args, Dictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? FindGo()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "go"))
            .Append("/usr/lib/go/bin/go");
        return candidates.FirstOrDefault(File.Exists);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Stele.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cannot find the repository root (Stele.slnx) above the test binaries.");
    }

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); }
        catch (IOException) { }
    }
}
