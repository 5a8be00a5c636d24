namespace Stele.Projections.Daemon;

/// <summary>Knobs of the log projection; the defaults suit `stele serve`.</summary>
public sealed record ProjectionOptions
{
    /// <summary>Name of the projection checkpoint and of the leader election.</summary>
    public string Name { get; init; } = "log-publisher";

    /// <summary>Least time between two publication cycles while events are pending (checkpoints come at most this often).</summary>
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Most events folded in one cycle.</summary>
    public int MaxEventsPerCycle { get; init; } = 20_000;

    /// <summary>Object writes in flight within a cycle.</summary>
    public int MaxWritesInFlight { get; init; } = 16;

    /// <summary>Pause before retrying after a failed cycle (the state is reloaded from the database).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public void Validate()
    {
        Stele.EventStore.StreamIds.Validate(Name, "projection name");
        ArgumentOutOfRangeException.ThrowIfLessThan(PublishInterval, TimeSpan.Zero, nameof(PublishInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEventsPerCycle, 1, nameof(MaxEventsPerCycle));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWritesInFlight, 1, nameof(MaxWritesInFlight));
    }
}
