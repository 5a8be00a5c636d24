using System.Diagnostics;
using System.Text.Json;

namespace Stele.Crypto.Bls.Tests;

/// <summary>Runs our node scripts in tests/interop/noble (installing the pinned @noble/curves with npm ci when missing).</summary>
internal static class NobleInterop
{
    private static readonly Lazy<string> s_dir = new(Prepare);

    internal static JsonElement Run(string script, object request)
    {
        var dir = s_dir.Value;
        var requestFile = Path.Combine(Path.GetTempPath(), $"stele-bls-interop-{Guid.NewGuid():N}.json");
        File.WriteAllText(requestFile, JsonSerializer.Serialize(request));
        try
        {
            var (code, stdout, stderr) = Exec("node", [script, requestFile], dir);
            if (code != 0) throw new InvalidOperationException($"node {script} failed ({code}): {stderr}");
            return JsonDocument.Parse(stdout).RootElement.Clone();
        }
        finally
        {
            File.Delete(requestFile);
        }
    }

    private static string Prepare()
    {
        var dir = Locate();
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "@noble", "curves")))
        {
            var (code, _, stderr) = Exec("npm", ["ci", "--no-audit", "--no-fund"], dir);
            if (code != 0)
                throw new InvalidOperationException($"`npm ci` failed in {dir} (run it by hand; node 20+ and npm are required): {stderr}");
        }
        return dir;
    }

    private static string Locate()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "interop", "noble");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/interop/noble not found above the test binaries");
    }

    private static (int Code, string Stdout, string Stderr) Exec(string file, string[] args, string dir)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' is not on PATH: the noble interop tests need node 20+ and npm", e);
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(5))) p.Kill(entireProcessTree: true);
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
