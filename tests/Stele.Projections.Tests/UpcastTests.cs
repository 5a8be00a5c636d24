using System.Text.Json.Nodes;
using Stele.Domain.Events;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Projections.Daemon;
using Stele.Projections.Fold;
using Stele.Projections.Rebuild;
using Stele.Projections.Tests.Support;
using Stele.Storage;
using Stele.Storage.Local;

namespace Stele.Projections.Tests;

/// <summary>Schema evolution: a log event stored in an older shape replays through the fold after upcasting.</summary>
public sealed class UpcastTests
{
    private const string Origin = "test.example/upcast";
    private const string V1Basis = "not recorded (EntryRedacted v1)";

    [Fact]
    public async Task An_EntryRedacted_stored_as_v1_is_upcast_and_folded_live_and_in_a_rebuild()
    {
        using var key = LogKey.Generate(Origin);
        using var alice = new TestClient(key.Origin);
        using var liveDir = new TempDirectory();
        using var targetDir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        var openings = new OpeningTable();
        var entries = Enumerable.Range(1, 5).Select(s => (object)alice.Entry((ulong)s, openings)).ToArray();
        await log.PostAsync(openings, [alice.Registration(), .. entries]);

        // An older release wrote EntryRedacted v1: "leaf" instead of "leafIndex", and no legal basis.
        var oldWriter = new PostgresEventStore(log.DataSource, new EventTypeRegistryBuilder().Add<EntryRedactedV1>("EntryRedacted", 1).Build());
        var appended = await oldWriter.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, [new EntryRedactedV1(3, "data subject request", ErasureStory.At)]);
        var stored = await log.ScalarAsync<string>("SELECT schema_version || ' ' || payload::text FROM stele.events WHERE event_type = 'EntryRedacted'");
        Assert.StartsWith("1 ", stored);
        Assert.Contains("\"leaf\"", stored);
        Assert.DoesNotContain("legalBasis", stored);

        // Today EntryRedacted is v2 with an upcaster from v1; without it the old event cannot be read.
        // Read by stream version, not ReadAll: another test's open transaction on the shared server
        // may hold the read horizon below the new event, and an unseen event throws nothing.
        var current = new PostgresEventStore(log.DataSource, Registry(withUpcaster: true));
        var withoutUpcaster = new PostgresEventStore(log.DataSource, Registry(withUpcaster: false));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in withoutUpcaster.ReadStreamAsync(LogEventTypes.LogStream, appended.StreamVersion)) { }
        });
        var upcast = await current.ReadStreamAsync(LogEventTypes.LogStream, appended.StreamVersion).SingleAsync();
        var redacted = Assert.IsType<EntryRedacted>(upcast.Data);
        Assert.Equal((3UL, V1Basis), (redacted.LeafIndex, redacted.LegalBasis));

        var live = new DirectoryObjectStore(liveDir.Path);
        var projection = await LogProjection.OpenAsync(current, log.DataSource, live, key);
        await projection.CatchUpAsync();
        var (checkpoint, records) = await LogChecker.VerifyAsync(live, key.Verifier);
        Assert.Equal(7UL, checkpoint.Size.Value); // registration, five entries, the redaction notice
        var notice = Assert.IsType<RedactionRecord>(records[6]);
        Assert.Equal((3UL, V1Basis), (notice.TargetLeaf, notice.LegalBasis));
        var payload = PayloadFile.Parse(await live.GetBytesAsync(PayloadFile.KeyFor(0)));
        Assert.Equal(new Tombstone(6), payload.Slots[3]);

        // The rebuild pre-scan sees the upcast event too: the replay matches the live files.
        var result = await new LogRebuilder(current, log.DataSource, live, new DirectoryObjectStore(targetDir.Path), key).RunAsync();
        Assert.True(result.Comparison.Identical, string.Join("; ", result.Comparison.Mismatches));
    }

    private static EventTypeRegistry Registry(bool withUpcaster)
    {
        var builder = new EventTypeRegistryBuilder()
            .Add<ClientRegistered>("ClientRegistered")
            .Add<EntrySubmitted>("EntrySubmitted")
            .Add<EntryRedacted>("EntryRedacted", 2);
        return (withUpcaster ? builder.AddUpcaster(new EntryRedactedV1Upcaster()) : builder).Build();
    }

    /// <summary>The v1 shape, as an older release serialized it.</summary>
    private sealed record EntryRedactedV1(ulong Leaf, string Reason, DateTimeOffset At);

    private sealed class EntryRedactedV1Upcaster : IEventUpcaster
    {
        public string EventType => "EntryRedacted";

        public int FromVersion => 1;

        public JsonNode Upcast(JsonNode payload)
        {
            var node = payload.AsObject();
            var leaf = node["leaf"]!.DeepClone();
            node.Remove("leaf");
            node["leafIndex"] = leaf;
            node["legalBasis"] = V1Basis;
            return node;
        }
    }
}
