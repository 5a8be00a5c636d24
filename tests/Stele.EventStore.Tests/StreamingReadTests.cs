using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

public sealed class StreamingReadTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Fact]
    public async Task Reading_100k_events_streams_page_by_page_with_bounded_memory()
    {
        const int total = 100_000, batch = 20_000;
        var store = db.CreateStore();
        var filler = new string('x', 400);
        var stream = "big-" + Guid.NewGuid().ToString("N")[..8];
        AppendResult last = null!;
        for (var b = 0; b < total / batch; b++)
        {
            var events = Enumerable.Range(b * batch, batch).Select(i => (object)new Padded(i, filler)).ToList();
            last = await store.BulkAppendAsync(stream, ExpectedVersion.Exactly(b * batch), events);
        }
        await store.ReadAllUntilAsync(last.LastPosition - 1, last.LastPosition);

        // ~100k × 400 chars ≈ 80 MB as .NET strings if the whole result were held in memory.
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, count = 0, expectedIndex = 0, appendedDuringRead = 0;
        await foreach (var e in store.ReadAllAsync())
        {
            Assert.Equal(expectedIndex++, ((Padded)e.Data).Index);
            if (++count % 10_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            if (count == 10)
            {
                // Proof that reading is live and lazy: events appended now, mid-read, are still delivered.
                var more = Enumerable.Range(total, 1000).Select(i => (object)new Padded(i, filler)).ToList();
                var extra = await store.BulkAppendAsync(stream, ExpectedVersion.Exactly(total), more);
                await store.ReadAllUntilAsync(extra.LastPosition - 1, extra.LastPosition);
                appendedDuringRead = more.Count;
            }
        }

        Assert.Equal(total + appendedDuringRead, count);
        Assert.True(peak < 24 * 1024 * 1024, $"reading retained {peak / 1024 / 1024} MiB");
    }
}
