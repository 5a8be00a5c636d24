using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stele.Reader;
using Stele.Reader.Sources;
using Stele.Reader.Verification;
using Stele.Storage.S3;
using Stele.Tlog.Notes;

namespace Stele.Cli.Commands;

/// <summary>`stele verify SOURCE --key VERIFIER [--since OLD_CHECKPOINT]`: check a whole published log from its files alone.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var source = ReaderCli.SourceArgument();
        var key = ReaderCli.KeyOption();
        var since = new Option<FileInfo?>("--since") { Description = "An older checkpoint file; also prove the log is consistent with it." };
        var noBlobs = new Option<bool>("--no-blobs") { Description = "Skip streaming blobs through BLAKE3 (everything else is still checked)." };
        var full = new Option<bool>("--full")
        {
            Description = "First check every file the checkpoint implies (all tiles, bundles, payload files, certificates, blobs) and list EVERY missing or altered one; then verify.",
        };
        var progress = ReaderCli.ProgressOption();

        var command = new Command("verify",
            "Verify a published log with no server: the checkpoint against the trusted key, every tile, bundle, record, signature, opening and blob.");
        command.Arguments.Add(source);
        command.Options.Add(key);
        command.Options.Add(since);
        command.Options.Add(noBlobs);
        command.Options.Add(full);
        command.Options.Add(progress);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var trusted = ReaderCli.TrustedKey(parse.GetValue(key));
            var options = new VerifyOptions
            {
                CheckBlobs = !parse.GetValue(noBlobs),
                SinceCheckpoint = parse.GetValue(since) is { } file ? (ReadOnlyMemory<byte>?)ReaderCli.ReadFile(file) : null,
            };
            await using var log = ReaderCli.OpenSource(parse.GetValue(source)!);
            long? filesChecked = null;
            if (parse.GetValue(full))
            {
                var report = await ReaderCli.RunAsync(() => ReaderCli.WithProgressAsync(parse.GetValue(progress), "checking files", (VerifyProgress p) => ((long)p.LeavesDone, (long)p.TreeSize),
                    reporter => FileCheck.CheckAsync(log, trusted, reporter, ct)));
                foreach (var problem in report.Problems) Console.Out.WriteLine(problem);
                if (!report.IsIntact)
                {
                    var files = report.Problems.Select(p => p.Key).Distinct().Count();
                    throw new CliException($"FAILED: {files} of {report.FilesChecked} files missing or altered ({report.Problems.Count} problems, listed on stdout)", ReaderCli.FailedExitCode);
                }
                filesChecked = report.FilesChecked;
            }
            var result = await ReaderCli.RunAsync(() => ReaderCli.WithProgressAsync(parse.GetValue(progress), "verifying", (VerifyProgress p) => ((long)p.LeavesDone, (long)p.TreeSize),
                reporter => LogReader.VerifyAsync(log, trusted, options, reporter, ct)));
            PrintSummary(result);
            if (filesChecked is { } checkedFiles) Console.Out.WriteLine($"files     {checkedFiles} checked: every file the checkpoint implies is present and intact");
            return 0;
        });
        return command;
    }

    private static void PrintSummary(VerifiedLog log)
    {
        var seconds = Math.Max(log.Elapsed.TotalSeconds, 1e-6);
        var o = Console.Out;
        o.WriteLine($"verified  {log.Origin}");
        o.WriteLine($"size      {log.Size} leaves, root {log.Root.ToBase64()}");
        o.WriteLine($"clients   {log.Registrations} registrations");
        o.WriteLine($"entries   {log.Entries} individually signed, {log.BatchedEntries} batched in {log.Batches} batches ({log.DistilledBatches} distilled)");
        o.WriteLine($"blobs     {log.Blobs} ({log.BlobBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes checked)");
        o.WriteLine($"erased    {log.Erased.Count} ({log.Redactions} redaction notices)");
        foreach (var erased in log.Erased.Take(20)) o.WriteLine($"          {erased}");
        if (log.Erased.Count > 20) o.WriteLine($"          … and {log.Erased.Count - 20} more");
        if (log.ConsistentSince is { } since) o.WriteLine($"since     consistent with the old checkpoint of size {since}");
        o.WriteLine($"time      {seconds:F2} s ({(log.Size.Value / seconds).ToString("N0", CultureInfo.InvariantCulture)} leaves/s)");
    }
}

/// <summary>What verify, prove and mirror share: the trusted key, sources, progress and error reporting.</summary>
internal static class ReaderCli
{
    public const int FailedExitCode = 2;
    public const int SplitViewExitCode = 3;

    public static Argument<string> SourceArgument() =>
        new("source") { Description = "The published log: a directory, file://…, s3://bucket/prefix or http(s)://host/prefix." };

    public static Option<string?> KeyOption() =>
        new("--key") { Description = "The log's verifier key (origin+hash+base64) you trust; default $STELE_LOG_VERIFIER." };

    public static Option<bool> ProgressOption() =>
        new("--progress") { Description = "Show progress on stderr even when it is not a terminal." };

    public static NoteVerifierKey TrustedKey(string? option)
    {
        var text = option ?? Environment.GetEnvironmentVariable("STELE_LOG_VERIFIER");
        if (string.IsNullOrWhiteSpace(text))
            throw new CliException("a trusted verifier key is required: --key origin+hash+base64 (or STELE_LOG_VERIFIER); `stele log info` prints it");
        try
        {
            return NoteVerifierKey.Parse(text.Trim());
        }
        catch (FormatException e)
        {
            throw new CliException($"--key is not a verifier key (origin+hash+base64): {e.Message}");
        }
    }

    public static ILogSource OpenSource(string location)
    {
        try
        {
            return LogSources.Open(location, S3Settings.FromEnvironment());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException)
        {
            throw new CliException(e.Message);
        }
    }

    public static byte[] ReadFile(FileInfo file)
    {
        try
        {
            return File.ReadAllBytes(file.FullName);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot read {file.FullName}: {e.Message}");
        }
    }

    /// <summary>Runs a reader operation, turning its findings into one clear line and an exit code.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (SplitViewException e)
        {
            throw new CliException(e.Message, SplitViewExitCode, e);
        }
        catch (LogVerificationException e)
        {
            throw new CliException("FAILED: " + e.Message, FailedExitCode, e);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(e.Message, 1, e);
        }
    }

    /// <summary>Shows a progress bar on stderr (when it is a terminal, or when asked) while <paramref name="work"/> runs.</summary>
    public static async Task<T> WithProgressAsync<T, TProgress>(bool force, string label, Func<TProgress, (long Done, long Total)> measure, Func<IProgress<TProgress>?, Task<T>> work)
    {
        if (!force && Console.IsErrorRedirected) return await work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: 1);
                var result = await work(new InlineProgress<TProgress>(p =>
                {
                    var (done, total) = measure(p);
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = done;
                }));
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Reports synchronously on the caller's thread (Progress&lt;T&gt; would post late updates after the bar ends).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _lock = new();

        public void Report(T value)
        {
            lock (_lock) report(value);
        }
    }
}
