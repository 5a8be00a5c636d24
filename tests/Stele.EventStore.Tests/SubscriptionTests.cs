using System.Diagnostics;
using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

public sealed class SubscriptionTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    /// <summary>Subscribes from the current head; returns the first page that contains <paramref name="stream"/>'s event and how long it took.</summary>
    private static async Task<(IReadOnlyList<RecordedEvent> Page, TimeSpan Latency)> AppendAndAwaitAsync(
        PostgresEventStore subscriber, PostgresEventStore writer, string stream)
    {
        var head = (await subscriber.GetInfoAsync()).HeadPosition;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var pages = subscriber.SubscribeAsync(head, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = pages.MoveNextAsync().AsTask(); // subscribes and starts waiting
        await Task.Delay(300); // let it reach the wait, so only a wake-up (or a poll) can deliver
        var clock = Stopwatch.StartNew();
        await writer.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(1, stream));
        while (true)
        {
            Assert.True(await next);
            if (pages.Current.Any(e => e.StreamId == stream)) return (pages.Current, clock.Elapsed);
            next = pages.MoveNextAsync().AsTask();
        }
    }

    [Fact]
    public async Task A_subscription_wakes_on_notify_long_before_its_poll_interval()
    {
        var subscriber = db.CreateStore(new EventStoreOptions { PollInterval = TimeSpan.FromSeconds(30) });
        var writer = db.CreateStore();
        var stream = "notify-" + Guid.NewGuid().ToString("N")[..8];

        var (page, latency) = await AppendAndAwaitAsync(subscriber, writer, stream);

        Assert.True(latency < TimeSpan.FromSeconds(5), $"took {latency}");
        Assert.Contains(page, e => e.StreamId == stream && e.Data is Deposited);
    }

    [Fact]
    public async Task A_subscription_still_delivers_by_polling_when_nobody_notifies()
    {
        var subscriber = db.CreateStore(new EventStoreOptions { PollInterval = TimeSpan.FromMilliseconds(250) });
        var silentWriter = db.CreateStore(new EventStoreOptions { NotifyOnAppend = false });
        var stream = "poll-" + Guid.NewGuid().ToString("N")[..8];

        var (_, latency) = await AppendAndAwaitAsync(subscriber, silentWriter, stream);

        Assert.True(latency < TimeSpan.FromSeconds(5), $"took {latency}");
    }

    [Fact]
    public async Task A_subscription_without_listening_polls()
    {
        var subscriber = db.CreateStore(new EventStoreOptions { ListenForAppends = false, PollInterval = TimeSpan.FromMilliseconds(250) });
        var stream = "nolisten-" + Guid.NewGuid().ToString("N")[..8];

        var (_, latency) = await AppendAndAwaitAsync(subscriber, db.CreateStore(), stream);

        Assert.True(latency < TimeSpan.FromSeconds(5), $"took {latency}");
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN stele_events' AND datname = current_database()"));
    }

    [Fact]
    public async Task A_subscription_delivers_every_event_in_order_from_a_position()
    {
        var store = db.CreateStore(new EventStoreOptions { PageSize = 50, PollInterval = TimeSpan.FromMilliseconds(200) });
        var stream = "sub-all-" + Guid.NewGuid().ToString("N")[..8];
        var first = await store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Deposits(120, stream));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await store.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Deposits(8, stream, from: 1000 + i * 8));
                await Task.Delay(20);
            }
        });

        var received = new List<RecordedEvent>();
        await foreach (var page in store.SubscribeAsync(first.FirstPosition - 1, timeout.Token))
        {
            Assert.InRange(page.Count, 1, 50);
            received.AddRange(page.Where(e => e.StreamId == stream));
            if (received.Count == 200) break;
        }
        await writing;

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), received.Select(e => e.StreamVersion));
        Assert.Equal(received.Select(e => e.Position).Order(), received.Select(e => e.Position));
    }

    [Fact]
    public async Task Cancelling_a_subscription_ends_it()
    {
        var store = db.CreateStore();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var head = (await store.GetInfoAsync()).HeadPosition;

        var ex = await Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in store.SubscribeAsync(head + 1_000_000, cancel.Token)) { }
        });

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
    }
}
