using System.Text.Json.Nodes;
using Stele.EventStore.Serialization;

namespace Stele.EventStore.Tests.Support;

public sealed record Deposited(string Account, long Amount);

public sealed record Padded(int Index, string Filler);

/// <summary>Version 2 renamed "name" to "newName" and added "reason".</summary>
public sealed record Renamed(string NewName, string Reason);

public sealed record NeverRegistered(int X);

/// <summary>Renamed v1 {"name"} → v2 {"newName", "reason"}.</summary>
public sealed class RenamedV1ToV2 : IEventUpcaster
{
    public string EventType => "renamed";

    public int FromVersion => 1;

    public JsonNode Upcast(JsonNode payload)
    {
        var old = payload.AsObject();
        return new JsonObject
        {
            ["newName"] = old["name"]!.GetValue<string>(),
            ["reason"] = "unknown (v1)",
        };
    }
}

public static class TestEvents
{
    public static EventTypeRegistry Registry { get; } = new EventTypeRegistryBuilder()
        .Add<Deposited>("deposited")
        .Add<Padded>("padded")
        .Add<Renamed>("renamed", schemaVersion: 2)
        .AddUpcaster(new RenamedV1ToV2())
        .Build();

    public static Deposited[] Deposits(int count, string account = "a", long from = 1) =>
        Enumerable.Range(0, count).Select(i => new Deposited(account, from + i)).ToArray();
}
