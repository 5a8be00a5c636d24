using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

public sealed class ConcurrencyTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    private const int Racers = 8;

    private async Task<(int Won, List<WrongExpectedVersionException> Lost)> RaceAsync(Func<PostgresEventStore, int, Task> append)
    {
        var store = new PostgresEventStore(db.CreateDataSource(), TestEvents.Registry);
        using var gate = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
        {
            await gate.WaitAsync();
            await append(store, i);
        })).ToList();
        gate.Release(Racers);
        var lost = new List<WrongExpectedVersionException>();
        var won = 0;
        foreach (var task in tasks)
        {
            try
            {
                await task;
                won++;
            }
            catch (WrongExpectedVersionException ex)
            {
                lost.Add(ex);
            }
        }
        return (won, lost);
    }

    [Fact]
    public async Task Exactly_one_of_many_racing_appends_at_the_same_version_wins()
    {
        var store = db.CreateStore();
        var stream = "race-" + Guid.NewGuid().ToString("N")[..8];
        await store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(2, stream));

        var (won, lost) = await RaceAsync((s, i) => s.AppendAsync(stream, ExpectedVersion.Exactly(2), [new Deposited(stream, 100 + i)]));

        Assert.Equal(1, won);
        Assert.Equal(Racers - 1, lost.Count);
        Assert.All(lost, ex => Assert.Equal(3, ex.ActualVersion));
        var events = await store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal([1L, 2, 3], events.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Exactly_one_of_many_racing_creators_wins_including_bulk()
    {
        var store = db.CreateStore();
        var stream = "create-race-" + Guid.NewGuid().ToString("N")[..8];

        var (won, lost) = await RaceAsync((s, i) => i % 2 == 0
            ? s.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(3, stream, from: i * 10))
            : s.BulkAppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(3, stream, from: i * 10)));

        Assert.Equal(1, won);
        Assert.All(lost, ex => Assert.Equal(3, ex.ActualVersion));
        var amounts = await store.ReadStreamAsync(stream).Select(e => ((Deposited)e.Data).Amount).ToListAsync();
        Assert.Equal(3, amounts.Count);
        Assert.Equal(amounts[0] + 1, amounts[1]); // all three from the same winner
    }

    [Fact]
    public async Task Racing_appends_with_any_all_land_with_distinct_consecutive_versions()
    {
        var store = db.CreateStore();
        var stream = "any-race-" + Guid.NewGuid().ToString("N")[..8];

        var (won, lost) = await RaceAsync((s, i) => s.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Deposits(2, stream, from: i * 10)));

        Assert.Equal(Racers, won);
        Assert.Empty(lost);
        var events = await store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal(Enumerable.Range(1, Racers * 2).Select(i => (long)i), events.Select(e => e.StreamVersion));
        Assert.Equal(events.Select(e => e.Position).Order(), events.Select(e => e.Position));
    }
}
