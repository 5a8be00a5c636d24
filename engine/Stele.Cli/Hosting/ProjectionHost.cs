using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using Stele.Domain.Events;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Projections;
using Stele.Projections.Daemon;
using Stele.Storage;

namespace Stele.Cli.Hosting;

/// <summary>
/// The log publisher inside `stele serve`: its options (--log-key, --origin, --publish-interval),
/// the log key (created owner-only on first start), and the daemon's start and stop.
/// </summary>
internal sealed class ProjectionHost : IAsyncDisposable
{
    public static readonly Option<string?> LogKeyOption = new("--log-key")
    {
        Description = $"The log's signed-note key file (${LogKeyFile.PathVariable}, default {LogKeyFile.DefaultPath}; created on first start).",
    };

    public static readonly Option<string?> OriginOption = new("--origin")
    {
        Description = $"Log origin for a new log key (${LogKeyFile.OriginVariable}, default {LogKeyFile.DefaultOrigin}).",
    };

    public static readonly Option<string?> PublishIntervalOption = new("--publish-interval")
    {
        Description = "Least time between checkpoints while entries are pending, e.g. 50ms or 0.1s (default 50ms).",
    };

    private readonly ProjectionDaemon _daemon;
    private readonly ILoggerFactory _logging;

    private ProjectionHost(ProjectionDaemon daemon, ILoggerFactory logging, LogKey key)
    {
        _daemon = daemon;
        _logging = logging;
        Key = key;
    }

    public LogKey Key { get; }

    public ProjectionDaemon Daemon => _daemon;

    public static void AddOptions(Command command)
    {
        command.Options.Add(LogKeyOption);
        command.Options.Add(OriginOption);
        command.Options.Add(PublishIntervalOption);
    }

    /// <summary>Loads (or creates) the log key named by --log-key, else $STELE_LOG_KEY or the config's logKey.</summary>
    public static LogKey LoadKey(ParseResult parse, string? configuredPath, out string path, out bool created)
    {
        path = LogKeyFile.ResolvePath(parse.GetValue(LogKeyOption), configuredPath);
        var explicitOrigin = parse.GetValue(OriginOption) ?? Environment.GetEnvironmentVariable(LogKeyFile.OriginVariable);
        try
        {
            return LogKeyFile.LoadOrCreate(path, LogKeyFile.ResolveOrigin(explicitOrigin), out created, originExplicit: !string.IsNullOrWhiteSpace(explicitOrigin));
        }
        catch (LogKeyException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    /// <summary>Starts the publisher daemon; it leads or waits as a standby.</summary>
    public static async Task<ProjectionHost> StartAsync(
        ParseResult parse, LogKey key, string connectionString, NpgsqlDataSource database, IObjectStore storage, CancellationToken ct)
    {
        var options = new ProjectionOptions { PublishInterval = ParseInterval(parse.GetValue(PublishIntervalOption)) };
        var events = new PostgresEventStore(database, new EventTypeRegistryBuilder().AddLogEvents().Build());
        var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }).SetMinimumLevel(LogLevel.Information));
        var daemon = new ProjectionDaemon(events, database, connectionString, storage, key, options, logging.CreateLogger("stele.publisher"));
        await daemon.StartAsync(ct);
        return new ProjectionHost(daemon, logging, key);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _daemon.StopAsync(CancellationToken.None);
        }
        finally
        {
            _daemon.Dispose();
            _logging.Dispose();
        }
    }

    private static TimeSpan ParseInterval(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new ProjectionOptions().PublishInterval;
        var t = text.Trim();
        double value;
        if (t.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(t[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0)
            return TimeSpan.FromMilliseconds(value);
        if (t.EndsWith('s') && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0)
            return TimeSpan.FromSeconds(value);
        throw new CliException($"invalid --publish-interval '{text}': expected e.g. 50ms or 0.1s");
    }
}

