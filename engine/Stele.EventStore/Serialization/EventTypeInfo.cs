namespace Stele.EventStore.Serialization;

/// <summary>A registered event type: its stable stored name, current schema version and CLR type.</summary>
public sealed record EventTypeInfo(string Name, int SchemaVersion, Type ClrType);
