using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Stele.Domain.Events;
using Stele.EventStore;
using Stele.Projections.Daemon;
using Stele.Projections.Fold;
using Stele.Projections.Publishing;
using Stele.Projections.ReadModels;
using Stele.Storage;
using Stele.Tlog;

namespace Stele.Projections.Rebuild;

/// <summary>How far a rebuild got: events read, leaves published, the last position folded.</summary>
public readonly record struct RebuildProgress(long Events, ulong Leaves, long Position);

/// <summary>The rebuilt tree, how it compares with the live store, and how long the replay and the comparison took.</summary>
public sealed record RebuildResult(TreeSize Size, long Events, StoreComparison Comparison, TimeSpan ReplayTime, TimeSpan ComparisonTime)
{
    /// <summary>Where the replay's time went on the folding side (the reader runs alongside).</summary>
    public RebuildPhases Phases { get; init; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Openings read by the streamed COPY of stele.contents, and those loaded by index probes instead.</summary>
    public (long Streamed, long Probed) Openings { get; init; }
}

/// <summary>
/// The replay's wall time split on the folding side: waiting for the reader (events and openings from
/// PostgreSQL), folding (checks included), publishing (files written, flushes).
/// </summary>
public readonly record struct RebuildPhases(TimeSpan WaitingForReader, TimeSpan Folding, TimeSpan Publishing);

/// <summary>
/// Replays the whole event stream (docs/rebuild.md) with a fresh in-memory fold state into a target
/// store through the real fold and publisher, then compares every key with the live store. Reads
/// openings from stele.contents and blobs from the live store; writes no read model. Resumable: a
/// rerun folds from scratch again and the publisher skips files already stored with identical bytes.
/// Reading runs ahead of folding: the next pages' events and openings (streamed, see <see cref="ContentStream"/>)
/// come from PostgreSQL while this one is folded and published.
/// </summary>
public sealed class LogRebuilder(PostgresEventStore events, NpgsqlDataSource database, IObjectStore live, IObjectStore target, LogKey key)
{
    private const int PagesAhead = 2;

    /// <summary>Events per cycle: large cycles write fewer partial tiles.</summary>
    public int EventsPerCycle { get; init; } = 20_000;

    /// <summary>Rows of stele.contents read ahead of the page that needs them, at most (0: every opening by index probe).</summary>
    public int OpeningsReadAhead { get; init; } = ContentStream.DefaultMaxAhead;

    public async Task<RebuildResult> RunAsync(IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        if (EventsPerCycle < 1) throw new ArgumentOutOfRangeException(nameof(EventsPerCycle), "at least one event per cycle");
        var clock = Stopwatch.StartNew();
        var head = await HeadAsync(ct).ConfigureAwait(false);
        var state = new FoldState();
        state.ExpectErasures(await RedactionTargetsAsync(head, ct).ConfigureAwait(false));
        // Only the opening loads are used: they read stele.contents and stele.packed_openings and write nothing.
        var readModels = new LogReadModels(database, key.Origin.Value, "rebuild");
        var publisher = await LogPublisher.OpenAsync(target, key, TreeSize.Empty, Rfc6962.EmptyTreeHash, ct: ct, blobSource: live).ConfigureAwait(false);
        var fold = new LogFold(key.Origin);
        long read = 0;
        var waiting = new Stopwatch();
        var folding = new Stopwatch();
        var publishing = new Stopwatch();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pages = Channel.CreateBounded<LoadedPage>(new BoundedChannelOptions(PagesAhead) { SingleReader = true, SingleWriter = true });
        await using var contents = new ContentStream(database, readModels, live, OpeningsReadAhead);
        var reader = Task.Run(() => ReadPagesAsync(pages.Writer, contents, head, stop.Token), stop.Token);
        try
        {
            while (true)
            {
                waiting.Start();
                var more = await pages.Reader.WaitToReadAsync(ct).ConfigureAwait(false);
                waiting.Stop();
                if (!more) break;
                var page = await pages.Reader.ReadAsync(ct).ConfigureAwait(false);
                folding.Start();
                var result = await CycleFolder.FoldLoadedAsync(fold, state, publisher, readModels, live, page.Inputs, page.Last, page.Openings, ct).ConfigureAwait(false);
                folding.Stop();
                publishing.Start();
                await publisher.PublishAsync(result, ct).ConfigureAwait(false);
                publishing.Stop();
                read += page.Events;
                progress?.Report(new RebuildProgress(read, publisher.Size.Value, page.Last));
            }
            await reader.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // the reader stops with the cycle that failed or was cancelled; that error is the one to report
            }
        }
        var replayTime = clock.Elapsed;
        var comparison = await StoreComparison.CompareAsync(live, target, ct).ConfigureAwait(false);
        return new RebuildResult(publisher.Size, read, comparison, replayTime, clock.Elapsed - replayTime)
        {
            Phases = new RebuildPhases(waiting.Elapsed, folding.Elapsed, publishing.Elapsed),
            Openings = (contents.Streamed, contents.Probed),
        };
    }

    /// <summary>One cycle's input, read ahead: the log facts of a page of events and the openings of their entries.</summary>
    private sealed record LoadedPage(List<FoldInput> Inputs, long Last, int Events, OpeningTable Openings);

    private async Task ReadPagesAsync(ChannelWriter<LoadedPage> writer, ContentStream contents, long head, CancellationToken ct)
    {
        try
        {
            long position = 0;
            while (position < head)
            {
                var page = await events.ReadAllPageAsync(position, EventsPerCycle, ct).ConfigureAwait(false);
                if (page.Count == 0) throw new InvalidDataException($"the event stream ends at position {position}, before its head {head}");
                var upToHead = page.Where(e => e.Position <= head).ToList(); // a fixed end: events appended meanwhile are not compared
                var (inputs, last) = CycleFolder.LogFacts(upToHead, position);
                if (upToHead.Count == 0) last = head;
                var openings = await contents.LoadAsync(inputs, ct).ConfigureAwait(false);
                await writer.WriteAsync(new LoadedPage(inputs, last, upToHead.Count, openings), ct).ConfigureAwait(false);
                position = last;
            }
            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
            throw;
        }
    }

    private async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand("SELECT coalesce(max(position), 0) FROM stele.events");
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    // The pre-scan (docs/erasure.md, "Replays and rebuilds"): leaves whose openings a later redaction removed.
    // Only the EntryRedacted rows are read, and they go through the registry (older versions are upcast).
    private async Task<List<ulong>> RedactionTargetsAsync(long head, CancellationToken ct)
    {
        var type = events.Types.Types.Single(t => t.ClrType == typeof(EntryRedacted)).Name;
        var targets = new List<ulong>();
        await using var command = database.CreateCommand(
            "SELECT position, stream_id, schema_version, payload FROM stele.events WHERE event_type = $1 AND position <= $2 ORDER BY position");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = head, NpgsqlDbType = NpgsqlDbType.Bigint });
        await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            var position = rows.GetInt64(0);
            if (!CycleFolder.IsLogFact(rows.GetString(1))) continue;
            if (events.Types.Deserialize(position, type, rows.GetInt32(2), rows.GetString(3)) is EntryRedacted redacted) targets.Add(redacted.LeafIndex);
        }
        return targets;
    }
}
