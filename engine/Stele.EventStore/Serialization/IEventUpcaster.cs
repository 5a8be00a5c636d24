using System.Text.Json.Nodes;

namespace Stele.EventStore.Serialization;

/// <summary>
/// Turns the JSON of <see cref="EventType"/> at schema version <see cref="FromVersion"/> into
/// version <see cref="FromVersion"/> + 1. Chains of upcasters bring any old event to the current version,
/// so stored history never has to be rewritten.
/// </summary>
public interface IEventUpcaster
{
    string EventType { get; }

    int FromVersion { get; }

    JsonNode Upcast(JsonNode payload);
}
