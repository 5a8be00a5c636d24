using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stele.EventStore.Serialization;

/// <summary>Collects event types and upcasters; <see cref="Build"/> checks them and freezes the result.</summary>
public sealed class EventTypeRegistryBuilder
{
    private readonly List<EventTypeInfo> _types = [];
    private readonly List<IEventUpcaster> _upcasters = [];
    private JsonSerializerOptions? _options;

    /// <summary>Registers <typeparamref name="T"/> under a stable name (never change it) at its current schema version.</summary>
    public EventTypeRegistryBuilder Add<T>(string name, int schemaVersion = 1) => Add(typeof(T), name, schemaVersion);

    public EventTypeRegistryBuilder Add(Type clrType, string name, int schemaVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        StreamIds.Validate(name, "event type name");
        ArgumentOutOfRangeException.ThrowIfLessThan(schemaVersion, 1);
        _types.Add(new EventTypeInfo(name, schemaVersion, clrType));
        return this;
    }

    public EventTypeRegistryBuilder AddUpcaster(IEventUpcaster upcaster)
    {
        ArgumentNullException.ThrowIfNull(upcaster);
        _upcasters.Add(upcaster);
        return this;
    }

    /// <summary>Replaces the default JSON options (camelCase, unknown members refused, required members enforced).</summary>
    public EventTypeRegistryBuilder WithJsonOptions(JsonSerializerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    public EventTypeRegistry Build()
    {
        Reject(_types.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1), g => $"event type name '{g.Key}' is registered twice");
        Reject(_types.GroupBy(t => t.ClrType).FirstOrDefault(g => g.Count() > 1), g => $"CLR type {g.Key.Name} is registered twice");
        var byName = _types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var upcaster in _upcasters)
        {
            if (!byName.TryGetValue(upcaster.EventType, out var type))
                throw new ArgumentException($"upcaster {upcaster.GetType().Name} is for unregistered event type '{upcaster.EventType}'");
            if (upcaster.FromVersion < 1 || upcaster.FromVersion >= type.SchemaVersion)
                throw new ArgumentException($"upcaster {upcaster.GetType().Name} upcasts {type.Name} v{upcaster.FromVersion}, but the current version is v{type.SchemaVersion}");
        }
        Reject(_upcasters.GroupBy(u => (u.EventType, u.FromVersion)).FirstOrDefault(g => g.Count() > 1),
            g => $"two upcasters for {g.Key.EventType} v{g.Key.FromVersion}");

        var options = _options ?? DefaultOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return new EventTypeRegistry(_types, _upcasters, options);
    }

    private static void Reject<T>(T? offender, Func<T, string> message) where T : class
    {
        if (offender is not null) throw new ArgumentException(message(offender));
    }

    private static JsonSerializerOptions DefaultOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
