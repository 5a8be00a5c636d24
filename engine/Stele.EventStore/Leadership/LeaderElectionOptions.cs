namespace Stele.EventStore.Leadership;

public sealed record LeaderElectionOptions
{
    /// <summary>How often a standby tries to take the lock.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the leader checks it still holds the lock (its connection is alive).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A check that takes longer than this counts as lost leadership.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryInterval, TimeSpan.Zero, nameof(RetryInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckInterval, TimeSpan.Zero, nameof(CheckInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckTimeout, TimeSpan.FromSeconds(1), nameof(CheckTimeout));
    }
}
