namespace Stele.EventStore;

/// <summary>What `stele log info` prints about the event store.</summary>
/// <param name="HeadPosition">Highest position a reader can see now (0 for an empty log).</param>
/// <param name="EventCount">Events committed (positions of rolled-back appends stay unused, so this can be below the head).</param>
/// <param name="StreamCount">Streams with at least one event.</param>
public sealed record EventStoreInfo(long HeadPosition, long EventCount, long StreamCount, IReadOnlyList<ProjectionCheckpoint> Checkpoints);

/// <summary>A projection's last processed global position.</summary>
public sealed record ProjectionCheckpoint(string Name, long Position, DateTimeOffset UpdatedAt);
