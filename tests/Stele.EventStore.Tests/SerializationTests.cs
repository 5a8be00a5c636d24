using Stele.EventStore.Serialization;
using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

public sealed class SerializationTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    private readonly PostgresEventStore _store = db.CreateStore();

    /// <summary>Writes a row the way an older (or foreign) binary would have; returns its position.</summary>
    private async Task<long> InsertRawAsync(string type, int schemaVersion, string json)
    {
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO stele.events (position, stream_id, stream_version, event_type, schema_version, payload)
            VALUES (stele.reserve_positions(1), 'raw-' || gen_random_uuid(), 1, $1, $2, $3::jsonb) RETURNING position
            """);
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = schemaVersion });
        command.Parameters.Add(new() { Value = json });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task<RecordedEvent> ReadAtAsync(long position) => _store.ReadAtAsync(position);

    [Fact]
    public async Task Current_version_round_trips_with_its_stored_name_and_version()
    {
        var stream = "ser-" + Guid.NewGuid().ToString("N")[..8];
        var appended = await _store.AppendAsync(stream, ExpectedVersion.NoStream, [new Renamed("new", "because")]);

        var stored = await db.ScalarAsync<string>($"SELECT event_type || ' v' || schema_version || ' ' || payload::text FROM stele.events WHERE position = {appended.FirstPosition}");
        Assert.Equal("renamed v2 {\"reason\": \"because\", \"newName\": \"new\"}", stored);
        Assert.Equal(new Renamed("new", "because"), (await ReadAtAsync(appended.FirstPosition)).Data);
    }

    [Fact]
    public async Task An_old_version_is_upcast_on_read()
    {
        var position = await InsertRawAsync("renamed", 1, """{"name": "old-name"}""");

        var e = await ReadAtAsync(position);

        Assert.Equal(1, e.SchemaVersion);
        Assert.Equal(new Renamed("old-name", "unknown (v1)"), e.Data);
    }

    [Fact]
    public async Task An_unknown_type_is_a_clear_error_naming_position_and_type()
    {
        var position = await InsertRawAsync("from-the-future", 1, "{}");

        var ex = await Assert.ThrowsAsync<UnknownEventTypeException>(() => ReadAtAsync(position));

        Assert.Equal(position, ex.Position);
        Assert.Contains($"position {position}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'from-the-future'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deposited", 1, """{"account": "a", "amount": "not a number"}""")]
    [InlineData("deposited", 1, """{"account": "a"}""")]
    [InlineData("deposited", 1, """{"account": null, "amount": 1}""")]
    [InlineData("deposited", 1, """{"account": "a", "amount": 1, "extra": true}""")]
    [InlineData("deposited", 1, "[1, 2]")]
    [InlineData("renamed", 1, """{"nom": "x"}""")]
    public async Task A_corrupt_payload_is_a_clear_error_naming_position_and_type(string type, int version, string json)
    {
        var position = await InsertRawAsync(type, version, json);

        var ex = await Assert.ThrowsAsync<EventDeserializationException>(() => ReadAtAsync(position));

        Assert.Equal(position, ex.Position);
        Assert.Equal(type, ex.EventType);
        Assert.Contains($"position {position}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt payload", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_newer_schema_version_than_this_binary_knows_is_refused()
    {
        var position = await InsertRawAsync("renamed", 3, """{"newName": "x", "reason": "y"}""");

        var ex = await Assert.ThrowsAsync<EventDeserializationException>(() => ReadAtAsync(position));

        Assert.Contains("only up to v2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_all_stops_at_a_bad_event_instead_of_skipping_it()
    {
        var stream = "ser-" + Guid.NewGuid().ToString("N")[..8];
        var before = await _store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(1, stream));
        var bad = await InsertRawAsync("nobody-knows", 1, "{}");
        var after = await _store.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Deposits(1, stream));
        await _store.ReadAllUntilAsync(after.FirstPosition - 1, after.FirstPosition);

        var ex = await Assert.ThrowsAsync<UnknownEventTypeException>(async () =>
        {
            await foreach (var _ in _store.ReadAllAsync(before.FirstPosition - 1)) { }
        });
        Assert.Equal(bad, ex.Position);
    }

    [Fact]
    public void Registry_validation_catches_mistakes()
    {
        Assert.Throws<ArgumentException>(() => new EventTypeRegistryBuilder().Add<Deposited>("x").Add<Padded>("x").Build());
        Assert.Throws<ArgumentException>(() => new EventTypeRegistryBuilder().Add<Deposited>("x").Add<Deposited>("y").Build());
        Assert.Throws<ArgumentException>(() => new EventTypeRegistryBuilder().Add<Renamed>("renamed", 1).AddUpcaster(new RenamedV1ToV2()).Build());
        Assert.Throws<ArgumentException>(() => new EventTypeRegistryBuilder().AddUpcaster(new RenamedV1ToV2()).Build());
        Assert.Throws<ArgumentException>(() => new EventTypeRegistryBuilder().Add<Deposited>("bad name").Build());

        var withoutUpcaster = new EventTypeRegistryBuilder().Add<Renamed>("renamed", 2).Build();
        var ex = Assert.Throws<EventDeserializationException>(() => withoutUpcaster.Deserialize(5, "renamed", 1, """{"name": "x"}"""));
        Assert.Contains("no upcaster from v1 to v2", ex.Message, StringComparison.Ordinal);
    }
}
