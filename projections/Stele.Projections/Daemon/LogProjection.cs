using Npgsql;
using Stele.EventStore;
using Stele.Projections.Fold;
using Stele.Projections.Publishing;
using Stele.Projections.ReadModels;
using Stele.Storage;
using Stele.Tlog;

namespace Stele.Projections.Daemon;

/// <summary>What one cycle did.</summary>
public sealed record CycleReport(int Events, int Leaves, int Rejections, int ObjectsWritten, TreeSize Size, long Position);

/// <summary>
/// The leader's working state for one log: fold state, publisher and projection position, resumed from
/// the database and the published files. One cycle = fold a run of events, publish (checkpoint last),
/// then commit read models and checkpoint in one transaction. After any failure, discard this
/// object and open a new one: the fold is deterministic, so the redone cycle writes identical bytes.
/// </summary>
public sealed class LogProjection
{
    private readonly PostgresEventStore _events;
    private readonly NpgsqlDataSource _database;
    private readonly LogReadModels _readModels;
    private readonly IObjectStore _store;
    private readonly FoldState _state;
    private readonly LogFold _fold;
    private readonly LogPublisher _publisher;

    private LogProjection(PostgresEventStore events, NpgsqlDataSource database, LogReadModels readModels, IObjectStore store, LogFold fold, FoldState state, LogPublisher publisher, long position)
    {
        _events = events;
        _database = database;
        _readModels = readModels;
        _store = store;
        _fold = fold;
        _state = state;
        _publisher = publisher;
        Position = position;
    }

    /// <summary>Last event position folded and committed.</summary>
    public long Position { get; private set; }

    public TreeSize Size => _publisher.Size;

    public TreeSize PublishedSize => _publisher.PublishedSize;

    public static async Task<LogProjection> OpenAsync(
        PostgresEventStore events, NpgsqlDataSource database, IObjectStore store, LogKey key, ProjectionOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ProjectionOptions();
        options.Validate();
        var readModels = new LogReadModels(database, key.Origin.Value, options.Name);
        var resume = await readModels.LoadAsync(ct).ConfigureAwait(false);
        var publisher = await LogPublisher.OpenAsync(store, key, resume.Size, resume.Root, options.MaxWritesInFlight, ct).ConfigureAwait(false);
        return new LogProjection(events, database, readModels, store, new LogFold(key.Origin), resume.State, publisher, resume.Position);
    }

    /// <summary>Folds, publishes and commits <paramref name="events"/> (the next ones after <see cref="Position"/>).</summary>
    public async Task<CycleReport> RunCycleAsync(IReadOnlyList<RecordedEvent> events, CancellationToken ct = default)
    {
        var (result, folded) = await CycleFolder.FoldAsync(_fold, _state, _publisher, _readModels, _store, events, Position, ct).ConfigureAwait(false);
        var written = await _publisher.PublishAsync(result, ct).ConfigureAwait(false);
        if (result.LastPosition > Position)
            await _readModels.CommitAsync(_events, Position, result, _publisher.Size, _publisher.Root, _publisher.PublishedSize, ct).ConfigureAwait(false);
        if (result.Erasures.Count > 0) await _readModels.VacuumContentsAsync(ct).ConfigureAwait(false);
        Position = result.LastPosition;
        return new CycleReport(folded, result.Leaves.Count, result.Rejections.Count, written, _publisher.Size, Position);
    }

    /// <summary>
    /// Runs cycles until every event committed when it starts is folded (tests, `stele rebuild`-like
    /// catch-up). A committed event is not final while an older transaction still runs: wait for it.
    /// </summary>
    public async Task<int> CatchUpAsync(int maxEventsPerCycle = 20_000, CancellationToken ct = default)
    {
        long head;
        await using (var command = _database.CreateCommand("SELECT coalesce(max(position), 0) FROM stele.events"))
            head = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        var cycles = 0;
        while (true)
        {
            var page = await _events.ReadAllPageAsync(Position, maxEventsPerCycle, ct).ConfigureAwait(false);
            if (page.Count == 0)
            {
                if (Position >= head) return cycles;
                await Task.Delay(10, ct).ConfigureAwait(false);
                continue;
            }
            await RunCycleAsync(page, ct).ConfigureAwait(false);
            cycles++;
        }
    }
}
