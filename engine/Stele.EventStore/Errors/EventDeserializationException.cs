namespace Stele.EventStore;

/// <summary>A stored event cannot be turned into an object; replay stops here instead of skipping it.</summary>
public class EventDeserializationException(long position, string eventType, int schemaVersion, string reason, Exception? inner = null)
    : EventStoreException($"event at position {position} ({eventType} v{schemaVersion}) cannot be read: {reason}", inner)
{
    public long Position { get; } = position;
    public string EventType { get; } = eventType;
    public int SchemaVersion { get; } = schemaVersion;
}

/// <summary>The stored event's type name is not registered in this binary.</summary>
public sealed class UnknownEventTypeException(long position, string eventType, int schemaVersion)
    : EventDeserializationException(position, eventType, schemaVersion, $"event type '{eventType}' is not registered in this binary");
