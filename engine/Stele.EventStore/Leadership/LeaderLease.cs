using Npgsql;

namespace Stele.EventStore.Leadership;

/// <summary>
/// Leadership while it lasts. <see cref="Lost"/> is cancelled as soon as a check finds the lock gone
/// (connection killed, server restarted, network cut): stop leading work then. Disposing releases
/// the lock by closing the dedicated session.
/// </summary>
public sealed class LeaderLease : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _lockKey;
    private readonly LeaderElectionOptions _options;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;

    private LeaderLease(NpgsqlConnection connection, long lockKey, LeaderElectionOptions options)
    {
        _connection = connection;
        _lockKey = lockKey;
        _options = options;
    }

    /// <summary>Cancelled when leadership is lost (or the lease is disposed).</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsHeld => !_lost.IsCancellationRequested;

    /// <summary>Why leadership ended, once it has.</summary>
    public string? LostReason { get; private set; }

    internal static LeaderLease Start(NpgsqlConnection connection, long lockKey, LeaderElectionOptions options)
    {
        var lease = new LeaderLease(connection, lockKey, options);
        lease._watch = Task.Run(lease.WatchAsync);
        return lease;
    }

    private async Task WatchAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.CheckInterval, _stop.Token).ConfigureAwait(false);
                if (!await StillHeldAsync().ConfigureAwait(false))
                {
                    MarkLost("the advisory lock is no longer held by this session");
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // disposed
        }
        catch (Exception ex)
        {
            MarkLost($"the leader connection failed: {ex.Message}");
        }
    }

    private async Task<bool> StillHeldAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.CheckTimeout);
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted " +
            "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1)", _connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _lockKey });
        try
        {
            return (bool)(await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false))!;
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            return false; // a check that hangs is as good as lost
        }
    }

    private void MarkLost(string reason)
    {
        LostReason ??= reason;
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _watch.ConfigureAwait(false);
        MarkLost("released");
        await _connection.DisposeAsync().ConfigureAwait(false); // unpooled: closing ends the session and frees the lock
        _stop.Dispose(); // _lost stays undisposed: callers may still hold and read its token
    }
}
