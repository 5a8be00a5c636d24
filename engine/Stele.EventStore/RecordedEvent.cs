namespace Stele.EventStore;

/// <summary>An event as read back: where it sits in the log and in its stream, and its deserialized data.</summary>
/// <param name="Position">Global position: increasing, never reused; may have holes left by rolled-back appends.</param>
/// <param name="StreamVersion">Number of the event within its stream, from 1, without holes.</param>
/// <param name="EventType">Stable type name as stored.</param>
/// <param name="SchemaVersion">Schema version as stored (before upcasting; <see cref="Data"/> is always current).</param>
public sealed record RecordedEvent(
    long Position,
    string StreamId,
    long StreamVersion,
    string EventType,
    int SchemaVersion,
    DateTimeOffset RecordedAt,
    object Data);
