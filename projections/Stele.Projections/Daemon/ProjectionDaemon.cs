using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Stele.EventStore;
using Stele.EventStore.Leadership;
using Stele.Projections.Publishing;
using Stele.Storage;
using Stele.Tlog;

namespace Stele.Projections.Daemon;

/// <summary>
/// The publisher daemon: holds the leader election (a standby waits), follows the event stream
/// (woken by NOTIFY), and runs publication cycles no closer together than the publish interval.
/// A failed cycle is retried from the database state; an alarm stops publishing for good.
/// </summary>
public sealed class ProjectionDaemon(
    PostgresEventStore events,
    NpgsqlDataSource database,
    string connectionString,
    IObjectStore store,
    LogKey key,
    ProjectionOptions? options = null,
    ILogger? logger = null,
    LeaderElectionOptions? electionOptions = null) : BackgroundService
{
    private readonly ProjectionOptions _options = options ?? new ProjectionOptions();
    private readonly ILogger _log = logger ?? NullLogger.Instance;
    private volatile LogProjection? _projection;

    /// <summary>True while this instance holds the leadership.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Size of the last checkpoint this instance published (or found).</summary>
    public TreeSize PublishedSize => _projection?.PublishedSize ?? default;

    /// <summary>Set when publishing stopped on an alarm.</summary>
    public PublicationAlarmException? Alarm { get; private set; }

    /// <summary>Raised after each committed cycle (tests, metrics).</summary>
    public event Action<CycleReport>? CycleCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _options.Validate();
        var election = new LeaderElection(connectionString, _options.Name, electionOptions);
        while (!stoppingToken.IsCancellationRequested)
        {
            LeaderLease lease;
            try
            {
                lease = await election.AcquireAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await using (lease.ConfigureAwait(false))
            {
                IsLeader = true;
                _log.LogInformation("log publisher: leading");
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
                try
                {
                    await LeadAsync(leading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (leading.IsCancellationRequested)
                {
                    if (!stoppingToken.IsCancellationRequested) _log.LogWarning("log publisher: leadership lost ({Reason})", lease.LostReason);
                }
                catch (PublicationAlarmException alarm)
                {
                    Alarm = alarm;
                    _log.LogCritical("log publisher STOPPED: {Alarm}", alarm.Message);
                    return;
                }
                catch (Exception ex)
                {
                    _log.LogError("log publisher: cycle failed, resuming from the database: {Error}", ex.Message);
                    await DelayQuietlyAsync(_options.RetryDelay, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    IsLeader = false;
                    _projection = null;
                }
            }
        }
    }

    private async Task LeadAsync(CancellationToken ct)
    {
        var projection = await LogProjection.OpenAsync(events, database, store, key, _options, ct).ConfigureAwait(false);
        _projection = projection;
        _log.LogInformation("log publisher: resumed at size {Size}, position {Position}", projection.Size, projection.Position);

        // The subscription fills a small buffer of pages; cycles drain it.
        var pages = Channel.CreateBounded<IReadOnlyList<RecordedEvent>>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var follow = FollowAsync(projection.Position, pages.Writer, stop.Token);
        try
        {
            var lastCycle = Stopwatch.StartNew();
            var batch = new List<RecordedEvent>();
            while (await pages.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                var wait = _options.PublishInterval - lastCycle.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct).ConfigureAwait(false);
                batch.Clear();
                while (batch.Count < _options.MaxEventsPerCycle && pages.Reader.TryRead(out var page)) batch.AddRange(page);
                lastCycle.Restart();
                var report = await projection.RunCycleAsync(batch, ct).ConfigureAwait(false);
                CycleCompleted?.Invoke(report);
            }
            await follow.ConfigureAwait(false); // surfaces the subscription's failure
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await follow.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (ChannelClosedException)
            {
            }
        }
    }

    private async Task FollowAsync(long after, ChannelWriter<IReadOnlyList<RecordedEvent>> writer, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await foreach (var page in events.SubscribeAsync(after, ct).ConfigureAwait(false))
                await writer.WriteAsync(page, ct).ConfigureAwait(false);
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    private static async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
