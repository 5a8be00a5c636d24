namespace Stele.EventStore;

/// <summary>PostgreSQL could not be reached at all (refused, unreachable, timed out).</summary>
public sealed class EventStoreUnavailableException(string endpoint, string reason, Exception inner)
    : EventStoreException($"cannot reach PostgreSQL at {endpoint}: {reason}", inner)
{
    public string Endpoint { get; } = endpoint;
}
