using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Testing;

namespace Stele.Cli.Tests;

/// <summary>
/// `stele rebuild` as a user runs it: a live log posted through the real `stele serve` (entries, a
/// batch, an erasure) in the real PostgreSQL, then the real binary rebuilding it into a directory —
/// interrupted with SIGTERM and rerun, and against a tampered live store.
/// </summary>
public sealed partial class RebuildCommandTests : IAsyncLifetime
{
    private const string Operator = "rebuild-cli-operator-token-0123456789";
    private const int Entries = 200;

    private readonly string _database = $"stele_rebuild_{Guid.NewGuid():N}"[..28];
    private readonly string _live = Directory.CreateTempSubdirectory("stele-rebuild-live-").FullName;
    private readonly string _secrets = Directory.CreateTempSubdirectory("stele-rebuild-keys-").FullName;
    private readonly string _targets = Directory.CreateTempSubdirectory("stele-rebuild-targets-").FullName;
    private string _connectionString = "";

    private string LogKeyPath => Path.Combine(_secrets, "log.key");

    public async Task InitializeAsync()
    {
        _connectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString) { Database = _database }.ConnectionString;
        await PostLiveLogAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var folder in new[] { _live, _secrets, _targets }) Directory.Delete(folder, recursive: true);
        await ServeAndMigrateTests.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task An_interrupted_rebuild_reruns_to_a_byte_identical_copy_with_the_tombstone()
    {
        var target = Path.Combine(_targets, "rebuilt");
        var liveSize = CheckpointSize(_live);

        // One event per cycle keeps the first run going long enough to stop it mid-way.
        var (exit, stderr) = await RunAndInterruptAsync(Rebuild(target, "--events-per-cycle", "1"), leaves: 10);
        Assert.True(exit == 130, $"exit {exit}: {stderr}");
        Assert.Contains("stele: cancelled", stderr);
        var interrupted = CheckpointSize(target);
        Assert.True(interrupted >= 10 && interrupted < liveSize, $"interrupted at {interrupted} of {liveSize}: {stderr}");

        var rerun = await RunAsync(Rebuild(target));
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Contains($"rebuild: size {liveSize},", rerun.Stderr);
        Assert.Contains("keys identical", rerun.Stderr);
        Assert.Equal("", rerun.Stdout); // no differing key listed

        // Byte for byte, independently of the command's own comparison (partial tiles of other cycle ends aside).
        var live = Files(_live);
        var rebuilt = Files(target);
        foreach (var (key, bytes) in live.Where(f => !f.Key.Contains(".p/", StringComparison.Ordinal)))
        {
            Assert.True(rebuilt.TryGetValue(key, out var copy), $"{key} was not rebuilt");
            Assert.True(bytes.AsSpan().SequenceEqual(copy), $"{key} differs");
        }
        Assert.Equal(live["checkpoint"], rebuilt["checkpoint"]);
        Assert.Contains(live.Keys, k => k.StartsWith("payload/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tampered_live_file_fails_the_rebuild_and_is_named()
    {
        var payload = Path.Combine(_live, "payload", "000"); // leaves 0-255, the erased one's tombstone among them
        var bytes = await File.ReadAllBytesAsync(payload);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(payload, bytes);

        var (exit, stdout, stderr) = await RunAsync(Rebuild(Path.Combine(_targets, "against-tampered")));

        Assert.NotEqual(0, exit);
        Assert.Equal($"payload/000: different (same size ({bytes.Length} bytes), other bytes)", stdout.Trim());
        var error = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("stele: error:", StringComparison.Ordinal));
        Assert.Contains("differs from the live store in 1 keys", error);
    }

    private string[] Rebuild(string target, params string[] extra) =>
        ["rebuild", "--to", "file://" + target, "--database", _connectionString, "--storage", "file://" + _live, "--log-key", LogKeyPath, .. extra];

    /// <summary>Posts the live log through `stele serve`: one client, <see cref="Entries"/> entries, a batch, and the erasure of one entry.</summary>
    private async Task PostLiveLogAsync()
    {
        var tokenFile = Path.Combine(_secrets, "operator.token");
        await File.WriteAllTextAsync(tokenFile, Operator);
        var port = ServeAndMigrateTests.FreePort();
        var server = Start(["serve", "--listen", $"http://127.0.0.1:{port}", "--database", _connectionString, "--storage", "file://" + _live,
            "--log-key", LogKeyPath, "--operator-token-file", tokenFile]);
        var serverOutput = server.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var address = new Uri($"http://127.0.0.1:{port}/");
            using var client = await ServeAndMigrateTests.PollAsync(() => SteleClient.ConnectAsync(address, null, http));
            using var keys = ClientKeys.Generate();
            await client.RegisterAsync(keys, Operator);
            Assert.True(await client.WaitForRegistrationAsync(keys.Client, TimeSpan.FromSeconds(60)), "the client was not admitted");
            for (var i = 0; i < Entries; i++) // one client, in order: entry i is leaf i + 1
                await client.SubmitAsync(keys, System.Text.Encoding.UTF8.GetBytes($"ballot {i}: yes"), MediaType.OctetStream);
            await client.SubmitBatchAsync(keys, Enumerable.Range(0, 50).Select(i => new BatchItem(BitConverter.GetBytes(i * 7919), MediaType.OctetStream)).ToArray());
            var erasure = await client.RedactAsync(7, "data subject request", "GDPR art. 17(1)(a)", Operator);
            var verdict = await client.WaitForRedactionAsync(erasure, TimeSpan.FromSeconds(60));
            Assert.True(verdict?.NoticeLeaf is not null, $"erasure not applied: {verdict}");
            var expected = 1 + Entries + 50 + 1; // registration, entries, batch, notice
            for (var wait = Stopwatch.StartNew(); CheckpointSize(_live) < expected; await Task.Delay(50))
                Assert.True(wait.Elapsed < TimeSpan.FromSeconds(60), $"the live log published {CheckpointSize(_live)} of {expected} leaves");
        }
        finally
        {
            Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(timeout.Token);
            server.Dispose();
        }
        Assert.True(File.Exists(Path.Combine(_live, "checkpoint")), await serverOutput);
    }

    /// <summary>Runs the CLI to its end.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the CLI and sends it SIGTERM once a progress line reports at least <paramref name="leaves"/> leaves published.</summary>
    private static async Task<(int ExitCode, string Stderr)> RunAndInterruptAsync(string[] args, ulong leaves)
    {
        using var process = Start(args);
        var stderr = new System.Text.StringBuilder();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            lock (stderr) stderr.AppendLine(line.Data);
            var match = ProgressLine().Match(line.Data);
            if (match.Success && ulong.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= leaves) reached.TrySetResult();
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var exited = process.WaitForExitAsync(timeout.Token);
        Assert.True(await Task.WhenAny(reached.Task, exited) == reached.Task, "the rebuild finished before it could be interrupted: " + stderr);
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync(timeout.Token);
            Assert.True(kill.ExitCode == 0, $"kill -TERM {process.Id} failed (exited already?): {stderr}");
        }
        await exited;
        process.WaitForExit(); // the last lines of stderr
        await stdout;
        lock (stderr) return (process.ExitCode, stderr.ToString());
    }

    [GeneratedRegex(@"rebuild: \d+ events, (\d+) leaves")] // redirected, each progress line starts with the \r of the terminal form
    private static partial Regex ProgressLine();

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stele.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("STELE_DATABASE");
        start.Environment.Remove("STELE_CONFIG");
        start.Environment.Remove("STELE_STORAGE");
        return Process.Start(start)!;
    }

    /// <summary>The tree size of the checkpoint in <paramref name="folder"/>, 0 when there is none yet.</summary>
    private static long CheckpointSize(string folder)
    {
        try
        {
            var lines = File.ReadAllText(Path.Combine(folder, "checkpoint")).Split('\n');
            return lines.Length > 1 && long.TryParse(lines[1], CultureInfo.InvariantCulture, out var size) ? size : 0;
        }
        catch (IOException)
        {
            return 0; // not written yet, or being replaced
        }
    }

    /// <summary>Every published file (not the directory store's own metadata) with its bytes, by key.</summary>
    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path).Replace('\\', '/'))
            .Where(key => !key.StartsWith(".stele-store/", StringComparison.Ordinal))
            .ToDictionary(key => key, key => File.ReadAllBytes(Path.Combine(folder, key)), StringComparer.Ordinal);
}
