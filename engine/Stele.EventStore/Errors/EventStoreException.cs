namespace Stele.EventStore;

/// <summary>Base of every error the event store raises on purpose; the message is one clear line.</summary>
public class EventStoreException(string message, Exception? inner = null) : Exception(message, inner);
