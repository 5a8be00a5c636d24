using Npgsql;

namespace Stele.EventStore.Subscriptions;

/// <summary>
/// A connection LISTENing on the append channel. <see cref="WaitAsync"/> returns when an append
/// was notified or the poll interval passed; if the connection breaks it degrades to polling and
/// tries to listen again on the next wait.
/// </summary>
internal sealed class AppendListener(NpgsqlDataSource dataSource, bool enabled) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;
    private long _notifiedHead;

    /// <summary>
    /// The highest position a notification announced (0 if none). Notifications are sent on commit,
    /// so events up to here exist even if older running transactions still hide them from readers.
    /// </summary>
    public long NotifiedHead => Volatile.Read(ref _notifiedHead);

    private void OnNotification(object? sender, NpgsqlNotificationEventArgs e)
    {
        if (!long.TryParse(e.Payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)) return;
        long seen;
        while ((seen = Volatile.Read(ref _notifiedHead)) < position && Interlocked.CompareExchange(ref _notifiedHead, position, seen) != seen)
        {
        }
    }

    public async Task WaitAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        if (!enabled)
        {
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            var connection = await EnsureListeningAsync(cancellationToken).ConfigureAwait(false);
            await connection.WaitAsync(pollInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or EventStoreUnavailableException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            await DropConnectionAsync().ConfigureAwait(false);
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts listening now, so that no append after this call goes unnoticed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!enabled) return;
        try
        {
            await EnsureListeningAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or EventStoreUnavailableException && !cancellationToken.IsCancellationRequested)
        {
            await DropConnectionAsync().ConfigureAwait(false); // polling will do until listening works again
        }
    }

    private async Task<NpgsqlConnection> EnsureListeningAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open }) return _connection;
        await DropConnectionAsync().ConfigureAwait(false);
        var connection = await Connections.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false);
        connection.Notification += OnNotification;
        try
        {
            await using var listen = new NpgsqlCommand($"LISTEN {PostgresEventStore.NotificationChannel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return _connection = connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is null) return;
        var connection = _connection;
        _connection = null;
        connection.Notification -= OnNotification;
        try
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                await unlisten.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // broken connection: nothing to unlisten
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(DropConnectionAsync());
}
