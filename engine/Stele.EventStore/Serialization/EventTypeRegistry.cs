using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stele.EventStore.Serialization;

/// <summary>
/// The event types this binary knows, frozen. Serializes an event to (name, version, JSON) and back,
/// upcasting older stored versions; anything it cannot read is an <see cref="EventDeserializationException"/>.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly FrozenDictionary<string, EventTypeInfo> _byName;
    private readonly FrozenDictionary<Type, EventTypeInfo> _byType;
    private readonly FrozenDictionary<(string, int), IEventUpcaster> _upcasters;
    private readonly JsonSerializerOptions _options;

    internal EventTypeRegistry(IEnumerable<EventTypeInfo> types, IEnumerable<IEventUpcaster> upcasters, JsonSerializerOptions options)
    {
        _byName = types.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        _byType = _byName.Values.ToFrozenDictionary(t => t.ClrType);
        _upcasters = upcasters.ToFrozenDictionary(u => (u.EventType, u.FromVersion));
        _options = options;
    }

    public IEnumerable<EventTypeInfo> Types => _byName.Values;

    /// <summary>The registration of an event object's type; throws if it was never registered.</summary>
    public EventTypeInfo InfoFor(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return _byType.TryGetValue(@event.GetType(), out var info)
            ? info
            : throw new ArgumentException($"event type {@event.GetType().Name} is not registered: add it to the EventTypeRegistry");
    }

    public string Serialize(object @event, EventTypeInfo info) => JsonSerializer.Serialize(@event, info.ClrType, _options);

    /// <summary>Turns a stored row back into an object of the current schema.</summary>
    public object Deserialize(long position, string eventType, int schemaVersion, string json)
    {
        if (!_byName.TryGetValue(eventType, out var info))
            throw new UnknownEventTypeException(position, eventType, schemaVersion);
        if (schemaVersion > info.SchemaVersion)
            throw new EventDeserializationException(position, eventType, schemaVersion,
                $"this binary knows {eventType} only up to v{info.SchemaVersion}: upgrade it");
        if (schemaVersion < 1)
            throw new EventDeserializationException(position, eventType, schemaVersion, "schema versions start at 1");
        try
        {
            var data = schemaVersion == info.SchemaVersion
                ? JsonSerializer.Deserialize(json, info.ClrType, _options)
                : Upcast(position, info, schemaVersion, json).Deserialize(info.ClrType, _options);
            return data ?? throw new EventDeserializationException(position, eventType, schemaVersion, "payload is null");
        }
        catch (JsonException ex)
        {
            throw new EventDeserializationException(position, eventType, schemaVersion, $"corrupt payload: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NotSupportedException or ArgumentException)
        {
            // e.g. an upcaster meeting JSON of an unexpected shape
            throw new EventDeserializationException(position, eventType, schemaVersion, $"corrupt payload: {ex.Message}", ex);
        }
    }

    private JsonNode Upcast(long position, EventTypeInfo info, int fromVersion, string json)
    {
        var node = JsonNode.Parse(json)
            ?? throw new EventDeserializationException(position, info.Name, fromVersion, "payload is null");
        for (var version = fromVersion; version < info.SchemaVersion; version++)
        {
            if (!_upcasters.TryGetValue((info.Name, version), out var upcaster))
                throw new EventDeserializationException(position, info.Name, fromVersion,
                    $"no upcaster from v{version} to v{version + 1}");
            JsonNode? upcast;
            try
            {
                upcast = upcaster.Upcast(node);
            }
            catch (Exception ex) when (ex is not EventStoreException and not OutOfMemoryException)
            {
                // Upcasters are written against well-formed old payloads; anything else is corrupt data.
                throw new EventDeserializationException(position, info.Name, fromVersion,
                    $"corrupt payload: upcaster {upcaster.GetType().Name} (v{version} to v{version + 1}) failed: {ex.Message}", ex);
            }
            node = upcast ?? throw new EventDeserializationException(position, info.Name, fromVersion, $"upcaster {upcaster.GetType().Name} returned null");
        }
        return node;
    }
}
