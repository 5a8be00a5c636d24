namespace Stele.EventStore;

/// <summary>What `stele log info` prints about the event store.</summary>
/// <param name="HeadPosition">Highest position a reader can see now (0 for an empty log).</param>
public sealed record EventStoreInfo(long HeadPosition, long EventCount, long StreamCount, IReadOnlyList<ProjectionCheckpoint> Checkpoints);

/// <summary>A projection's last processed global position.</summary>
public sealed record ProjectionCheckpoint(string Name, long Position, DateTimeOffset UpdatedAt);
