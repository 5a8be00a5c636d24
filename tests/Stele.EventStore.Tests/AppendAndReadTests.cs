using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

public sealed class AppendAndReadTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    private readonly PostgresEventStore _store = db.CreateStore();

    private static string NewStream() => "acct-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Appended_events_read_back_in_order_with_consecutive_versions_and_positions()
    {
        var stream = NewStream();
        var first = await _store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(3, stream));
        var second = await _store.AppendAsync(stream, first.NextExpectedVersion, [new Deposited(stream, 99)]);

        Assert.Equal(3, first.StreamVersion);
        Assert.Equal(first.FirstPosition + 2, first.LastPosition);
        Assert.Equal(4, second.StreamVersion);
        Assert.True(second.FirstPosition > first.LastPosition);

        var events = await _store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.StreamVersion));
        Assert.Equal([1L, 2, 3, 99], events.Select(e => ((Deposited)e.Data).Amount));
        Assert.All(events, e => Assert.Equal("deposited", e.EventType));
        Assert.Equal(events.Select(e => e.Position).Order(), events.Select(e => e.Position));

        var fromThree = await _store.ReadStreamAsync(stream, fromVersion: 3).ToListAsync();
        Assert.Equal([3L, 4], fromThree.Select(e => e.StreamVersion));
        Assert.Equal(4, await _store.GetStreamVersionAsync(stream));
        Assert.Equal(0, await _store.GetStreamVersionAsync(NewStream()));
    }

    [Fact]
    public async Task Read_all_returns_events_after_the_given_position_only()
    {
        var stream = NewStream();
        var result = await _store.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Deposits(5, stream));

        var after = (await _store.ReadAllUntilAsync(result.FirstPosition + 1, result.LastPosition)).Where(e => e.StreamId == stream).ToList();

        Assert.Equal([result.FirstPosition + 2, result.FirstPosition + 3, result.FirstPosition + 4], after.Select(e => e.Position));
    }

    [Fact]
    public async Task Expected_version_any_appends_to_new_and_existing_streams()
    {
        var stream = NewStream();
        Assert.Equal(2, (await _store.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Deposits(2, stream))).StreamVersion);
        Assert.Equal(3, (await _store.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Deposits(1, stream))).StreamVersion);
    }

    [Fact]
    public async Task Wrong_expected_version_names_stream_expected_and_actual_and_writes_nothing()
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(2, stream));

        var again = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => _store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(1, stream)));
        Assert.Equal(2, again.ActualVersion);
        Assert.Contains(stream, again.Message, StringComparison.Ordinal);
        Assert.Contains("expected no stream", again.Message, StringComparison.Ordinal);
        Assert.Contains("version 2", again.Message, StringComparison.Ordinal);

        var stale = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => _store.AppendAsync(stream, ExpectedVersion.Exactly(1), TestEvents.Deposits(1, stream)));
        Assert.Equal(ExpectedVersion.Exactly(1), stale.Expected);

        var missing = NewStream();
        var none = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => _store.AppendAsync(missing, ExpectedVersion.Exactly(4), TestEvents.Deposits(1, missing)));
        Assert.Equal(0, none.ActualVersion);
        Assert.Contains("no stream", none.Message, StringComparison.Ordinal);

        Assert.Equal(2, await _store.ReadStreamAsync(stream).CountAsync());
        Assert.Empty(await _store.ReadStreamAsync(missing).ToListAsync());
    }

    [Fact]
    public async Task Bulk_append_has_the_same_semantics_and_reads_back()
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(1, stream));

        var bulk = await _store.BulkAppendAsync(stream, ExpectedVersion.Exactly(1), TestEvents.Deposits(5000, stream, from: 2));

        Assert.Equal(5001, bulk.StreamVersion);
        Assert.Equal(bulk.FirstPosition + 4999, bulk.LastPosition);
        var events = await _store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 5001).Select(i => (long)i), events.Select(e => e.StreamVersion));
        Assert.Equal(Enumerable.Range(1, 5001).Select(i => (long)i), events.Select(e => ((Deposited)e.Data).Amount));
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => bulk.FirstPosition + i), events.Skip(1).Select(e => e.Position));

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => _store.BulkAppendAsync(stream, ExpectedVersion.Exactly(1), TestEvents.Deposits(100, stream)));
        Assert.Equal(5001, conflict.ActualVersion);
        Assert.Equal(5001, await _store.ReadStreamAsync(stream).CountAsync());
    }

    [Fact]
    public async Task Stream_reads_page_through_long_streams()
    {
        var store = db.CreateStore(new EventStoreOptions { PageSize = 7 });
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(30, stream));

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), await store.ReadStreamAsync(stream).Select(e => e.StreamVersion).ToListAsync());
        Assert.Equal(Enumerable.Range(10, 21).Select(i => (long)i), await store.ReadStreamAsync(stream, 10).Select(e => e.StreamVersion).ToListAsync());
    }

    [Fact]
    public async Task Info_reports_head_counts_and_checkpoints()
    {
        var stream = NewStream();
        var appended = await _store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(2, stream));
        await using (var tx = await _store.BeginProjectionAsync())
        {
            await tx.AdvanceCheckpointAsync("info-test", 0, appended.FirstPosition);
            await tx.CommitAsync();
        }

        await _store.ReadAllUntilAsync(appended.LastPosition - 1, appended.LastPosition);
        var info = await _store.GetInfoAsync();

        Assert.True(info.HeadPosition >= appended.LastPosition);
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM stele.events"), info.EventCount);
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM stele.streams"), info.StreamCount);
        Assert.Contains(info.Checkpoints, c => c.Name == "info-test" && c.Position == appended.FirstPosition);
    }

    [Fact]
    public async Task Info_counts_committed_events_not_the_holes_rolled_back_appends_leave()
    {
        var before = await _store.GetInfoAsync();
        var stream = NewStream();
        await using (var abandoned = await ManualAppend.BeginAsync(db.DataSource))
        {
            Assert.True(await abandoned.ReserveAsync(stream, 0, 5));
            await abandoned.InsertDepositsAsync(stream, 5);
        } // rolled back: positions reserved, never committed
        var appended = await _store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(2, stream));
        await _store.ReadAllUntilAsync(appended.LastPosition - 1, appended.LastPosition);

        var after = await _store.GetInfoAsync();

        Assert.Equal(before.EventCount + 2, after.EventCount);
        Assert.Equal(before.StreamCount + 1, after.StreamCount);
        Assert.True(after.HeadPosition >= before.HeadPosition + 7, "the head moves past the hole");
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM stele.events"), after.EventCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ünïcode")]
    public async Task Invalid_stream_ids_are_refused(string streamId)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _store.AppendAsync(streamId, ExpectedVersion.Any, TestEvents.Deposits(1)));
        Assert.Contains("stream id", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StreamIds.Validate(new string('a', StreamIds.MaxLength + 1)));
        Assert.Equal("log/main:v1@x_y-z.0", StreamIds.Validate("log/main:v1@x_y-z.0"));
    }

    [Fact]
    public async Task Empty_and_unregistered_appends_are_refused_before_writing()
    {
        var stream = NewStream();
        await Assert.ThrowsAsync<ArgumentException>(() => _store.AppendAsync(stream, ExpectedVersion.Any, []));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _store.BulkAppendAsync(stream, ExpectedVersion.Any, [new Deposited(stream, 1), new NeverRegistered(1)]));
        Assert.Contains(nameof(NeverRegistered), ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task History_is_append_only()
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(1, stream));

        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("UPDATE stele.events SET payload = '{}'"));
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("DELETE FROM stele.events"));

        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await _store.ReadStreamAsync(stream).CountAsync());
    }
}
