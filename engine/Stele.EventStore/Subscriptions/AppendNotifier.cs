using System.Globalization;
using Npgsql;

namespace Stele.EventStore.Subscriptions;

/// <summary>
/// Announces appends on the <c>stele_events</c> channel after they commit, outside the append's
/// transaction. A NOTIFY inside it would take PostgreSQL's global notify lock through the commit's
/// WAL flush and serialize every append; here one NOTIFY covers however many appends committed
/// meanwhile. A lost notification only costs latency: subscribers also poll.
/// </summary>
internal sealed class AppendNotifier(NpgsqlDataSource dataSource)
{
    private long _pending;
    private long _sent;
    private int _running;

    /// <summary>Records that positions up to <paramref name="lastPosition"/> are committed; never blocks.</summary>
    public void Signal(long lastPosition)
    {
        long seen;
        while ((seen = Volatile.Read(ref _pending)) < lastPosition && Interlocked.CompareExchange(ref _pending, lastPosition, seen) != seen)
        {
        }
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) _ = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            var target = Volatile.Read(ref _pending);
            if (target > _sent)
            {
                try
                {
                    await NotifyAsync(target).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NpgsqlException or EventStoreUnavailableException or TimeoutException)
                {
                    // subscribers fall back to polling; try again with the next append
                }
                _sent = target;
                continue;
            }
            Volatile.Write(ref _running, 0);
            // An append may have signalled between our check and the release: take over again if so.
            if (Volatile.Read(ref _pending) <= _sent || Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
        }
    }

    private async Task NotifyAsync(long position)
    {
        await using var connection = await Connections.OpenAsync(dataSource, CancellationToken.None).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT pg_notify('{PostgresEventStore.NotificationChannel}', $1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = position.ToString(CultureInfo.InvariantCulture) });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
