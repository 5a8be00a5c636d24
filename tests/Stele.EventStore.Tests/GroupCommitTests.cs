using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

/// <summary>Concurrent AppendAsync calls are committed in shared batches (stele.append_batch); each keeps its own semantics.</summary>
public sealed class GroupCommitTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Fact]
    public async Task Many_concurrent_appends_to_shared_streams_keep_per_stream_order_and_versions()
    {
        var store = db.CreateStore();
        var prefix = "gc-" + Guid.NewGuid().ToString("N")[..8];
        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() =>
            store.AppendAsync($"{prefix}-{i % 10}", ExpectedVersion.Any, TestEvents.Deposits(1 + i % 3, "x", from: i * 10)))));

        var batches = await db.ScalarAsync<long>($"SELECT count(DISTINCT transaction_id) FROM stele.events WHERE stream_id LIKE '{prefix}-%'");
        Assert.True(batches < 400, "no two appends ever shared a transaction");
        var statistics = store.GroupCommitStatistics;
        Assert.Equal(400, statistics.Appends);
        Assert.Equal(batches, statistics.Commits);
        Assert.Equal(Enumerable.Range(0, 400).Sum(i => 1 + i % 3), statistics.Events);
        for (var s = 0; s < 10; s++)
        {
            var events = await store.ReadStreamAsync($"{prefix}-{s}").ToListAsync();
            Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.StreamVersion));
            Assert.Equal(events.Select(e => e.Position).Order(), events.Select(e => e.Position));
        }
        Assert.Equal(results.Length, results.Select(r => r.FirstPosition).Distinct().Count());
    }

    [Fact]
    public async Task One_batch_checks_each_append_on_its_own_in_order()
    {
        var stream = "gcb-" + Guid.NewGuid().ToString("N")[..8];
        await using var command = db.DataSource.CreateCommand("""
            SELECT ok, first_position, stream_version FROM stele.append_batch(
                ARRAY[$1, $1, $1, $2], ARRAY[0, 0, 2, -1]::bigint[], ARRAY[2, 1, 1, 1],
                ARRAY['deposited','deposited','deposited','deposited','deposited'], ARRAY[1,1,1,1,1],
                ARRAY['{"account":"a","amount":1}','{"account":"a","amount":2}','{"account":"a","amount":3}','{"account":"a","amount":4}','{"account":"b","amount":5}']::jsonb[])
            """);
        command.Parameters.Add(new() { Value = stream });
        command.Parameters.Add(new() { Value = stream + "-other" });
        var rows = await ReadRowsAsync(command);

        Assert.Equal([true, false, true, true], rows.Select(r => r.Ok));
        Assert.Equal([2L, 2, 3, 1], rows.Select(r => r.Version)); // the refused one reports the actual version
        Assert.Null(rows[1].First);
        Assert.Equal(rows[0].First + 2, rows[2].First); // no position reserved for the refused append
        var store = db.CreateStore();
        Assert.Equal([1L, 2, 4], await store.ReadStreamAsync(stream).Select(e => ((Deposited)e.Data).Amount).ToListAsync());
        Assert.Equal(3, await store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task A_batch_of_distinct_streams_refuses_one_append_and_keeps_the_others_contiguous()
    {
        var a = "gcd-" + Guid.NewGuid().ToString("N")[..8];
        var store = db.CreateStore();
        await store.AppendAsync(a + "-b", ExpectedVersion.NoStream, TestEvents.Deposits(3, a + "-b"));
        await using var command = db.DataSource.CreateCommand("""
            SELECT ok, first_position, stream_version FROM stele.append_batch(
                ARRAY[$1 || '-a', $1 || '-b', $1 || '-c', $1 || '-d'], ARRAY[0, 2, -1, 0]::bigint[], ARRAY[2, 1, 1, 2],
                ARRAY['deposited','deposited','deposited','deposited','deposited','deposited'], ARRAY[1,1,1,1,1,1],
                ARRAY['{"account":"a","amount":1}','{"account":"a","amount":2}','{"account":"b","amount":3}',
                      '{"account":"c","amount":4}','{"account":"d","amount":5}','{"account":"d","amount":6}']::jsonb[])
            """);
        command.Parameters.Add(new() { Value = a });
        var rows = await ReadRowsAsync(command);

        Assert.Equal([true, false, true, true], rows.Select(r => r.Ok));
        Assert.Equal([2L, 3, 1, 2], rows.Select(r => r.Version)); // the refused one reports the actual version
        Assert.Null(rows[1].First);
        Assert.Equal(rows[0].First + 2, rows[2].First); // no position reserved for the refused append
        Assert.Equal(rows[2].First + 1, rows[3].First);
        Assert.Equal([1L, 2], await store.ReadStreamAsync(a + "-a").Select(e => ((Deposited)e.Data).Amount).ToListAsync());
        Assert.Equal(3, await store.GetStreamVersionAsync(a + "-b"));
        Assert.Equal([4L], await store.ReadStreamAsync(a + "-c").Select(e => ((Deposited)e.Data).Amount).ToListAsync());
        var d = await store.ReadStreamAsync(a + "-d").ToListAsync();
        Assert.Equal([5L, 6], d.Select(e => ((Deposited)e.Data).Amount));
        Assert.Equal([rows[3].First!.Value, rows[3].First!.Value + 1], d.Select(e => e.Position));
    }

    [Fact]
    public async Task A_group_with_a_wrong_expected_version_fails_only_that_append()
    {
        var store = db.CreateStore(new EventStoreOptions { AppendConcurrency = 1 });
        var prefix = "gcw-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 32; i++) await store.AppendAsync($"{prefix}-{i}", ExpectedVersion.NoStream, TestEvents.Deposits(1, prefix));

        // Every odd writer expects a version its stream never had.
        var before = store.GroupCommitStatistics;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.AppendAsync($"{prefix}-{i}", ExpectedVersion.Exactly(i % 2 == 0 ? 1 : 7), TestEvents.Deposits(1, prefix, from: 100 + i));
                return true;
            }
            catch (WrongExpectedVersionException ex) when (ex.ActualVersion == 1)
            {
                return false;
            }
        })));

        Assert.Equal(Enumerable.Range(0, 32).Select(i => i % 2 == 0), outcomes);
        for (var i = 0; i < 32; i++)
            Assert.Equal(i % 2 == 0 ? 2 : 1, await store.GetStreamVersionAsync($"{prefix}-{i}"));
        Assert.Equal(32, store.GroupCommitStatistics.Since(before).Appends);
    }

    [Fact]
    public async Task Appends_in_a_callers_transaction_land_together_or_not_at_all()
    {
        var store = db.CreateStore();
        var prefix = "gct-" + Guid.NewGuid().ToString("N")[..8];
        await store.AppendAsync(prefix + "-b", ExpectedVersion.NoStream, TestEvents.Deposits(1, prefix));

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var results = await store.AppendManyInTransactionAsync(connection, transaction,
                [new(prefix + "-a", ExpectedVersion.NoStream, TestEvents.Deposits(2, prefix)), new(prefix + "-b", ExpectedVersion.Exactly(1), TestEvents.Deposits(1, prefix, from: 5))]);
            Assert.Equal([2L, 2], results.Select(r => r.StreamVersion));
            Assert.Equal(results[0].LastPosition + 1, results[1].FirstPosition);
            await transaction.RollbackAsync();
        }
        Assert.Equal(0, await store.GetStreamVersionAsync(prefix + "-a"));
        Assert.Equal(1, await store.GetStreamVersionAsync(prefix + "-b"));

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var ex = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => store.AppendManyInTransactionAsync(connection, transaction,
                [new(prefix + "-a", ExpectedVersion.NoStream, TestEvents.Deposits(1, prefix)), new(prefix + "-b", ExpectedVersion.Exactly(3), TestEvents.Deposits(1, prefix))]));
            Assert.Equal(1, ex.ActualVersion);
        }
        Assert.Equal(0, await store.GetStreamVersionAsync(prefix + "-a")); // the caller did not commit: nothing landed

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var results = await store.AppendManyInTransactionAsync(connection, transaction, [new(prefix + "-a", ExpectedVersion.NoStream, TestEvents.Deposits(2, prefix))]);
            await transaction.CommitAsync();
            store.AnnounceCommitted(results[0]);
        }
        Assert.Equal([1L, 2], await store.ReadStreamAsync(prefix + "-a").Select(e => ((Deposited)e.Data).Amount).ToListAsync());
    }

    private static async Task<List<(bool Ok, long? First, long Version)>> ReadRowsAsync(Npgsql.NpgsqlCommand command)
    {
        var rows = new List<(bool Ok, long? First, long Version)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2)));
        return rows;
    }
}
