using Npgsql;
using Stele.EventStore.Serialization;

namespace Stele.EventStore;

/// <summary>
/// Stele's event store on PostgreSQL: streams with optimistic concurrency, one global log whose
/// readers never see a gap that later fills, subscriptions and projection checkpoints.
/// Needs the schema from migrations/0001_event_store.sql. Thread-safe; share one instance.
/// </summary>
public sealed partial class PostgresEventStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly EventStoreOptions _options;
    private readonly Subscriptions.AppendNotifier _notifier;
    private readonly Appending.AppendBatcher _batcher;

    public PostgresEventStore(NpgsqlDataSource dataSource, EventTypeRegistry types, EventStoreOptions? options = null)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        Types = types ?? throw new ArgumentNullException(nameof(types));
        _options = options ?? new EventStoreOptions();
        _options.Validate();
        _notifier = new Subscriptions.AppendNotifier(dataSource);
        _batcher = new Appending.AppendBatcher(dataSource, _options.AppendConcurrency);
    }

    public EventTypeRegistry Types { get; }

    public EventStoreOptions Options => _options;

    /// <summary>How well concurrent <see cref="AppendAsync"/> calls shared transactions so far.</summary>
    public GroupCommitStatistics GroupCommitStatistics => _batcher.Statistics;

    /// <summary>Name of the NOTIFY channel appends signal on.</summary>
    public const string NotificationChannel = "stele_events";

    /// <summary>Events with position below every running transaction's are final: see docs/event-store.md.</summary>
    internal const string HorizonSql = "(SELECT pg_snapshot_xmin(pg_current_snapshot()))";

    internal ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        Connections.OpenAsync(_dataSource, cancellationToken);
}
