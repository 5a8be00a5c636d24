using System.Runtime.CompilerServices;
using Stele.EventStore.Subscriptions;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Follows the log forever from <paramref name="afterPosition"/> (exclusive): yields pages of final
    /// events as they become readable, waking on NOTIFY and polling every <see cref="EventStoreOptions.PollInterval"/>
    /// in case a notification is missed or disabled. Ends only by cancellation.
    /// A page is the natural unit for one <see cref="Projections.ProjectionTransaction"/>.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<RecordedEvent>> SubscribeAsync(long afterPosition, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        await using var listener = new AppendListener(_dataSource, _options.ListenForAppends);
        await listener.StartAsync(cancellationToken).ConfigureAwait(false); // listen before the first read: no lost wake-ups
        var backoff = MinBackoff;
        while (true)
        {
            var page = await ReadAllPageAsync(afterPosition, _options.PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count > 0)
            {
                afterPosition = page[^1].Position;
                backoff = MinBackoff;
                yield return page;
                continue;
            }
            // Committed events beyond the cursor that are not readable yet wait only for older
            // transactions to finish, which may never notify (rolled back, or not appends): retry soon.
            if (listener.NotifiedHead > afterPosition)
            {
                await listener.WaitAsync(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Math.Min(MaxBackoff.Ticks, _options.PollInterval.Ticks)));
                continue;
            }
            await listener.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
