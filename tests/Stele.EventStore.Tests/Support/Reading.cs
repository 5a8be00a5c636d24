namespace Stele.EventStore.Tests.Support;

/// <summary>
/// The log only shows events once every older transaction in the cluster has finished (other test
/// classes write concurrently), so a test that just wrote waits for its event to become final.
/// </summary>
public static class Reading
{
    public static async Task<IReadOnlyList<RecordedEvent>> ReadAllUntilAsync(this PostgresEventStore store, long afterPosition, long untilPosition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var events = await store.ReadAllAsync(afterPosition).TakeWhile(e => e.Position <= untilPosition).ToListAsync();
            if (events.Count > 0 && events[^1].Position == untilPosition) return events;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"position {untilPosition} did not become readable");
            await Task.Delay(20);
        }
    }

    public static async Task<RecordedEvent> ReadAtAsync(this PostgresEventStore store, long position) =>
        (await store.ReadAllUntilAsync(position - 1, position)).Single();
}
