namespace Stele.EventStore;

/// <summary>A projection checkpoint was not where the caller expected: another runner moved it.</summary>
public sealed class CheckpointConflictException(string projection, long expected, long actual)
    : EventStoreException($"projection '{projection}': checkpoint expected at {expected} but is at {actual} (is another projection daemon running?)")
{
    public string Projection { get; } = projection;
    public long Expected { get; } = expected;
    public long Actual { get; } = actual;
}
