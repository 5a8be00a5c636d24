using Npgsql;
using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

/// <summary>
/// The global log's promise: a reader never sees position p+k and later sees p appear. Writers
/// that hold lower positions may commit after writers holding higher ones; readers must wait for them.
/// </summary>
public sealed class OrderingTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Fact]
    public async Task A_slow_lower_position_holds_readers_back_instead_of_appearing_later()
    {
        var store = db.CreateStore();
        var start = await db.ScalarAsync<long>("SELECT coalesce(max(position), 0) FROM stele.events");

        await using var slow = await ManualAppend.BeginAsync(db.DataSource);
        Assert.True(await slow.ReserveAsync("slow", 0, 1));
        await slow.InsertDepositsAsync("slow", 1);

        var fast = await store.AppendAsync("fast", ExpectedVersion.NoStream, TestEvents.Deposits(1, "fast"));
        Assert.True(fast.FirstPosition > slow.FirstPosition);

        // A naive reader (no horizon) sees the higher position now, and would see the lower one appear later.
        var naive = await db.ScalarAsync<long[]>($"SELECT coalesce(array_agg(position ORDER BY position), '{{}}') FROM stele.events WHERE position > {start}");
        Assert.Equal([fast.FirstPosition], naive);
        // The store's reader does not: the slow transaction is still running.
        Assert.Empty(await store.ReadAllAsync(start).ToListAsync());

        await slow.CommitAsync();
        var seen = await store.ReadAllUntilAsync(start, fast.FirstPosition);
        Assert.Equal([slow.FirstPosition, fast.FirstPosition], seen.Select(e => e.Position));
    }

    [Fact]
    public async Task Concurrent_writers_with_delays_never_show_a_gap_that_later_fills()
    {
        const int writers = 8, transactionsPerWriter = 60;
        var store = db.CreateStore(new EventStoreOptions { PageSize = 200 });
        var writerSource = db.CreateDataSource();
        var start = await db.ScalarAsync<long>("SELECT coalesce(max(position), 0) FROM stele.events");
        using var stop = new CancellationTokenSource();
        long target = long.MaxValue; // set once writing is over: the highest committed position
        bool Done(long cursor) => stop.IsCancellationRequested && cursor >= Volatile.Read(ref target);

        // Incremental readers: follow the log from a cursor. If any gap filled behind a cursor, the
        // position would be missing from what that reader saw.
        var incremental = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var seen = new List<long>();
            var cursor = start;
            // Other test classes write to the same cluster, which can hold the horizon back: keep
            // reading after the writers stop until everything committed has been seen.
            while (!Done(cursor))
            {
                var page = await store.ReadAllPageAsync(cursor, 200);
                foreach (var e in page) seen.Add(e.Position);
                if (page.Count > 0) cursor = page[^1].Position;
                else await Task.Delay(1);
            }
            return seen;
        })).ToList();

        // A re-reader: reads everything again and again; below the highest position it saw before,
        // nothing new may ever appear.
        var violations = new List<string>();
        var rereader = Task.Run(async () =>
        {
            var known = new HashSet<long>();
            long highest = start, rounds = 0;
            while (!stop.IsCancellationRequested)
            {
                var now = await store.ReadAllAsync(start).Select(e => e.Position).ToListAsync();
                foreach (var p in now.Where(p => p <= highest && !known.Contains(p)))
                    violations.Add($"position {p} appeared below {highest} in round {rounds}");
                known.UnionWith(now);
                if (now.Count > 0) highest = Math.Max(highest, now[^1]);
                rounds++;
            }
            return rounds;
        });

        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var stream = $"writer-{w}-{Guid.NewGuid():N}";
            long version = 0;
            for (var t = 0; t < transactionsPerWriter; t++)
            {
                var count = random.Next(1, 6);
                if (t % 3 == 2)
                {
                    // the store's own one-round-trip append
                    version = (await store.AppendAsync(stream, ExpectedVersion.Exactly(version), TestEvents.Deposits(count, stream))).StreamVersion;
                    continue;
                }
                // a slow transaction: random pauses between reserving positions, inserting and committing
                await using var append = await ManualAppend.BeginAsync(writerSource);
                Assert.True(await append.ReserveAsync(stream, version, count));
                await Task.Delay(random.Next(0, 4));
                await append.InsertDepositsAsync(stream, count);
                await Task.Delay(random.Next(0, 4));
                if (random.Next(10) == 0) continue; // roll back (dispose without commit): a permanent hole
                await append.CommitAsync();
                version = append.StreamVersion;
            }
        })).ToList();

        await Task.WhenAll(writing);
        Volatile.Write(ref target, await db.ScalarAsync<long>("SELECT max(position) FROM stele.events"));
        stop.Cancel();
        var readerResults = await Task.WhenAll(incremental).WaitAsync(TimeSpan.FromSeconds(20));
        var rounds = await rereader;

        var final = (await store.ReadAllUntilAsync(start, target)).Select(e => e.Position).ToList();
        Assert.True(final.Count > writers * transactionsPerWriter, $"only {final.Count} events were written");
        Assert.Equal(await db.ScalarAsync<long>($"SELECT count(*) FROM stele.events WHERE position > {start}"), final.Count);
        Assert.Empty(violations);
        Assert.True(rounds > 3, $"the re-reader only completed {rounds} rounds");
        foreach (var seen in readerResults)
            Assert.Equal(final, seen);
    }

    [Fact]
    public async Task A_writer_killed_mid_transaction_leaves_nothing_and_unblocks_readers()
    {
        var store = db.CreateStore();
        var start = await db.ScalarAsync<long>("SELECT coalesce(max(position), 0) FROM stele.events");
        var stream = "killed-" + Guid.NewGuid().ToString("N")[..8];

        await using var doomed = await ManualAppend.BeginAsync(db.CreateDataSource());
        Assert.True(await doomed.ReserveAsync(stream, 0, 3));
        await doomed.InsertDepositsAsync(stream, 3);
        var later = await store.AppendAsync("survivor-" + stream, ExpectedVersion.NoStream, TestEvents.Deposits(2));
        Assert.Empty(await store.ReadAllAsync(start).ToListAsync());

        Assert.True(await db.ScalarAsync<bool>($"SELECT pg_terminate_backend({doomed.BackendPid})"));

        var seen = await store.ReadAllUntilAsync(start, later.LastPosition);
        Assert.Equal([later.FirstPosition, later.LastPosition], seen.Select(e => e.Position));
        Assert.DoesNotContain(seen, e => e.StreamId == stream);
        Assert.Equal(0, await store.GetStreamVersionAsync(stream));
        Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM stele.events WHERE stream_id = '{stream}'"));
        // The stream is free again for a fresh writer.
        Assert.Equal(1, (await store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(1, stream))).StreamVersion);
    }

    [Fact]
    public async Task Appending_after_other_writes_in_the_same_transaction_is_refused()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var write = new NpgsqlCommand("INSERT INTO stele.projection_checkpoints (name, position) VALUES ('x-first-write', 1)", connection, transaction))
            await write.ExecuteNonQueryAsync();

        await using var reserve = new NpgsqlCommand("SELECT stele.reserve_positions(1)", connection, transaction);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => reserve.ExecuteScalarAsync());

        Assert.Contains("first write of a transaction", ex.MessageText, StringComparison.Ordinal);
    }
}
