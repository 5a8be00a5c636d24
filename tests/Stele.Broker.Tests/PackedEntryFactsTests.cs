using System.Security.Cryptography;
using System.Text.Json;
using Stele.Domain.Events;
using Stele.EventStore.Serialization;

namespace Stele.Broker.Tests;

/// <summary>BatchDistilled entries stored as one packed base64 string (PackedEntryFactsConverter), through the event store's own serializer.</summary>
public sealed class PackedEntryFactsTests
{
    private static readonly EventTypeRegistry Registry = new EventTypeRegistryBuilder().AddLogEvents().Build();

    private static BatchDistilled Batch(EntryFacts[] entries) =>
        new("broker-1", RandomNumberGenerator.GetBytes(32), [3, 9], RandomNumberGenerator.GetBytes(96), [], entries, DateTimeOffset.UnixEpoch);

    private static BatchDistilled RoundTrip(BatchDistilled e, out string json)
    {
        var info = Registry.InfoFor(e);
        json = Registry.Serialize(e, info);
        return Assert.IsType<BatchDistilled>(Registry.Deserialize(1, info.Name, info.SchemaVersion, json));
    }

    private static void AssertSameEntries(EntryFacts[] expected, EntryFacts[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal((expected[i].Client, expected[i].Sequence, expected[i].Size, expected[i].MediaType), (actual[i].Client, actual[i].Sequence, actual[i].Size, actual[i].MediaType));
            Assert.Equal(expected[i].Commitment, actual[i].Commitment);
        }
    }

    [Fact]
    public void Entries_are_one_base64_string_and_come_back_exactly()
    {
        var entries = Enumerable.Range(0, 300).Select(i => new EntryFacts(ulong.MaxValue - (ulong)i, (ulong)i * 7, RandomNumberGenerator.GetBytes(32), (ulong)i,
            i % 3 == 0 ? "text/plain" : "application/vnd.vote")).ToArray();
        var back = RoundTrip(Batch(entries), out var json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("entries").ValueKind);
        AssertSameEntries(entries, back.Entries);
        Assert.True(json.Length < 300 * 90, $"{json.Length} characters for 300 entries");
    }

    [Fact]
    public void Events_stored_before_packing_still_read_as_an_array_of_entry_objects()
    {
        var entries = new[] { new EntryFacts(1, 2, RandomNumberGenerator.GetBytes(32), 5, "text/plain") };
        var e = Batch(entries);
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        var legacy = JsonSerializer.Serialize(new { e.Broker, e.Root, e.Participants, e.AggregateSignature, e.Stragglers, Entries = entries, e.At }, options);
        var back = Assert.IsType<BatchDistilled>(Registry.Deserialize(1, "BatchDistilled", 1, legacy));
        AssertSameEntries(entries, back.Entries);
    }

    [Fact]
    public void Entries_the_packed_form_cannot_hold_stay_an_array_for_the_fold_to_refuse()
    {
        var entries = new[] { new EntryFacts(1, 2, new byte[5], 5, "text/plain") }; // a malformed commitment
        var back = RoundTrip(Batch(entries), out var json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("entries").ValueKind);
        Assert.Equal(new byte[5], back.Entries[0].Commitment);
    }

    [Fact]
    public void A_damaged_packed_string_is_a_clear_deserialization_error()
    {
        var info = Registry.InfoFor(Batch([]));
        var json = Registry.Serialize(Batch([new EntryFacts(1, 2, new byte[32], 5, "text/plain")]), info);
        var packed = JsonDocument.Parse(json).RootElement.GetProperty("entries").GetString()!;
        var damaged = json.Replace(packed, Convert.ToBase64String(Convert.FromBase64String(packed)[..^3]), StringComparison.Ordinal);
        var error = Assert.Throws<Stele.EventStore.EventDeserializationException>(() => Registry.Deserialize(1, info.Name, info.SchemaVersion, damaged));
        Assert.Contains("bytes of entries", error.Message);
    }
}
