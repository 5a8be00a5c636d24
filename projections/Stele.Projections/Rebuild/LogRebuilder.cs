using Npgsql;
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

/// <summary>The rebuilt tree and how it compares with the live store.</summary>
public sealed record RebuildResult(TreeSize Size, long Events, StoreComparison Comparison);

/// <summary>
/// Replays the whole event stream (docs/rebuild.md) with a fresh in-memory fold state into a target
/// store through the real fold and publisher, then compares every key with the live store. Reads
/// openings from stele.contents and blobs from the live store; writes no read model. Resumable: a
/// rerun folds from scratch again and the publisher skips files already stored with identical bytes.
/// </summary>
public sealed class LogRebuilder(PostgresEventStore events, NpgsqlDataSource database, IObjectStore live, IObjectStore target, LogKey key)
{
    /// <summary>Events per cycle: large cycles write fewer partial tiles.</summary>
    public int EventsPerCycle { get; init; } = 20_000;

    public async Task<RebuildResult> RunAsync(IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        if (EventsPerCycle < 1) throw new ArgumentOutOfRangeException(nameof(EventsPerCycle), "at least one event per cycle");
        var head = await HeadAsync(ct).ConfigureAwait(false);
        var state = new FoldState();
        state.ExpectErasures(await RedactionTargetsAsync(head, ct).ConfigureAwait(false));
        // Only LoadOpeningsAsync is used: it reads stele.contents and writes nothing.
        var openings = new LogReadModels(database, key.Origin.Value, "rebuild");
        var publisher = await LogPublisher.OpenAsync(target, key, TreeSize.Empty, Rfc6962.EmptyTreeHash, ct: ct, blobSource: live).ConfigureAwait(false);
        var fold = new LogFold(key.Origin);
        long position = 0, read = 0;
        while (position < head)
        {
            var page = await events.ReadAllPageAsync(position, EventsPerCycle, ct).ConfigureAwait(false);
            if (page.Count == 0) throw new InvalidDataException($"the event stream ends at position {position}, before its head {head}");
            var last = page.Where(e => e.Position <= head).ToList(); // a fixed end: events appended meanwhile are not compared
            var (result, _) = await CycleFolder.FoldAsync(fold, state, publisher, openings, live, last, position, ct).ConfigureAwait(false);
            await publisher.PublishAsync(result, ct).ConfigureAwait(false);
            read += last.Count;
            position = Math.Max(position, last.Count > 0 ? last[^1].Position : head);
            progress?.Report(new RebuildProgress(read, publisher.Size.Value, position));
        }
        var comparison = await StoreComparison.CompareAsync(live, target, ct).ConfigureAwait(false);
        return new RebuildResult(publisher.Size, read, comparison);
    }

    private async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand("SELECT coalesce(max(position), 0) FROM stele.events");
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    // The pre-scan (docs/erasure.md, "Replays and rebuilds"): leaves whose openings a later redaction removed.
    private async Task<List<ulong>> RedactionTargetsAsync(long head, CancellationToken ct)
    {
        var targets = new List<ulong>();
        await foreach (var e in events.ReadAllAsync(0, ct).ConfigureAwait(false))
        {
            if (e.Position > head) break;
            if (e.Data is EntryRedacted redacted && CycleFolder.IsLogFact(e.StreamId)) targets.Add(redacted.LeafIndex);
        }
        return targets;
    }
}
