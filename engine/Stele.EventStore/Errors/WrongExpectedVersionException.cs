namespace Stele.EventStore;

/// <summary>An append's expected version did not match the stream; nothing was written.</summary>
public sealed class WrongExpectedVersionException(string streamId, ExpectedVersion expected, long actualVersion)
    : EventStoreException($"stream '{streamId}': expected {expected}, but it is at {(actualVersion == 0 ? "no stream" : $"version {actualVersion}")}")
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;

    /// <summary>The stream's version when the append was refused (0 = the stream does not exist).</summary>
    public long ActualVersion { get; } = actualVersion;
}
