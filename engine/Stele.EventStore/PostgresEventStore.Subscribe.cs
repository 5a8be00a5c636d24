using System.Runtime.CompilerServices;
using Stele.EventStore.Subscriptions;

namespace Stele.EventStore;

public sealed partial class PostgresEventStore
{
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
        while (true)
        {
            var page = await ReadAllPageAsync(afterPosition, _options.PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count > 0)
            {
                afterPosition = page[^1].Position;
                yield return page;
                continue;
            }
            await listener.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
