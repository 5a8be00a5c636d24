using Npgsql;
using Stele.Domain.Events;

namespace Stele.Api;

/// <summary>
/// Wakes requests waiting for inclusion when the publisher commits a cycle: one connection LISTENs
/// on <see cref="LogNotifications.Published"/> (whichever process publishes), started on the first
/// wait. <see cref="Next"/> completes at the next notification. While the connection is broken it
/// completes every <c>fallbackInterval</c> instead, so waiting degrades to polling, never hangs.
/// </summary>
internal sealed class PublicationSignal(NpgsqlDataSource database, TimeSpan fallbackInterval) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = NewSource();
    private Task? _listening;

    /// <summary>Completes at the next publication. Take it BEFORE reading the state it may change, so no wake-up is missed.</summary>
    public Task Next
    {
        get
        {
            lock (_gate)
            {
                _listening ??= Task.Run(ListenAsync);
                return _next.Task;
            }
        }
    }

    private void Pulse()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _next;
            _next = NewSource();
        }
        fired.TrySetResult();
    }

    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, _) => Pulse();
                await using (var listen = new NpgsqlCommand($"LISTEN {LogNotifications.Published}", connection))
                    await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                Pulse(); // anything published before LISTEN took effect: let waiters look once more
                while (true) await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                Pulse(); // the data source is gone: the server is stopping
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The database is unreachable: poll until listening works again.
                Pulse();
                try
                {
                    await Task.Delay(fallbackInterval, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Task? listening;
        lock (_gate) listening = _listening;
        if (listening is not null) await listening.ConfigureAwait(false);
        _stop.Dispose();
        Pulse();
    }
}
