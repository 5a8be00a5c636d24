namespace Stele.EventStore;

/// <summary>Tuning knobs; the defaults suit production.</summary>
public sealed record EventStoreOptions
{
    /// <summary>Rows fetched per round trip when reading; bounds memory of reads and subscriptions.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>How long a subscription waits for a notification before polling anyway.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Send NOTIFY stele_events with each append (subscriptions wake at once).</summary>
    public bool NotifyOnAppend { get; init; } = true;

    /// <summary>Subscriptions LISTEN for appends; when false they only poll.</summary>
    public bool ListenForAppends { get; init; } = true;

    /// <summary>
    /// How many group-commit batches of <see cref="PostgresEventStore.AppendAsync"/> may be in flight
    /// at once (each on its own connection). More overlaps WAL flushes; 1 gives the largest batches.
    /// </summary>
    public int AppendConcurrency { get; init; } = 2;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(AppendConcurrency, 1, nameof(AppendConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
    }
}
