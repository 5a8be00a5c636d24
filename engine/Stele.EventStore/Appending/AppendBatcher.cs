using System.Collections.Concurrent;
using Npgsql;

namespace Stele.EventStore.Appending;

/// <summary>
/// Client-side group commit. Concurrent <see cref="PostgresEventStore.AppendAsync"/> calls queue
/// here; a flusher takes everything queued and writes it with one <c>stele.append_batch</c> call:
/// one round trip, one transaction, one WAL flush for many appends. Each append still checks its
/// own expected version and succeeds or fails alone. A lone append goes out at once (no added
/// delay); batches only form while an earlier flush is in flight.
/// </summary>
internal sealed class AppendBatcher(NpgsqlDataSource dataSource, int maxConcurrentFlushes)
{
    private const int MaxAppendsPerBatch = 256;
    private const int MaxEventsPerBatch = 4096;

    private readonly ConcurrentQueue<PendingAppend> _queue = new();
    private readonly GroupCommitCounters _statistics = new();
    private int _flushers;

    public GroupCommitStatistics Statistics => _statistics.Snapshot();

    public Task<AppendResult> AppendAsync(PendingAppend append)
    {
        _queue.Enqueue(append);
        TryStartFlusher();
        return append.Completion.Task;
    }

    private void TryStartFlusher()
    {
        while (!_queue.IsEmpty)
        {
            var running = Volatile.Read(ref _flushers);
            if (running >= maxConcurrentFlushes) return;
            if (Interlocked.CompareExchange(ref _flushers, running + 1, running) != running) continue;
            // Started inline: the caller's thread carries the flush to its first network wait,
            // saving a thread-pool hop per batch (what bounds latency-bound appenders).
            _ = FlushLoopAsync();
            return;
        }
    }

    private async Task FlushLoopAsync()
    {
        AppendBatchCommand? command = null; // kept across this loop's batches, dropped when the queue runs dry
        try
        {
            var batch = new List<PendingAppend>();
            while (TakeBatch(batch))
            {
                command = await FlushAsync(command, batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
        finally
        {
            if (command is not null) await command.DisposeAsync().ConfigureAwait(false);
            Interlocked.Decrement(ref _flushers);
            TryStartFlusher(); // an append may have queued after our last look
        }
    }

    private bool TakeBatch(List<PendingAppend> batch)
    {
        var events = 0;
        while (batch.Count < MaxAppendsPerBatch && _queue.TryPeek(out var next)
               && (batch.Count == 0 || events + next.Count <= MaxEventsPerBatch)
               && _queue.TryDequeue(out next))
        {
            batch.Add(next);
            events += next.Count;
        }
        return batch.Count > 0;
    }

    /// <summary>Writes one batch and settles each append; returns the command to reuse (null after a failure).</summary>
    private async Task<AppendBatchCommand?> FlushAsync(AppendBatchCommand? command, List<PendingAppend> batch)
    {
        // Appends whose caller gave up before we got to them are not written.
        batch.RemoveAll(a => a.CancellationToken.IsCancellationRequested && a.Completion.TrySetCanceled(a.CancellationToken));
        if (batch.Count == 0) return command;
        try
        {
            command ??= await AppendBatchCommand.OpenAsync(dataSource).ConfigureAwait(false);
            var results = await command.ExecuteAsync(batch).ConfigureAwait(false);
            _statistics.Record(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                var (ok, first, version) = results[i];
                var append = batch[i];
                if (ok) append.Completion.TrySetResult(new AppendResult(version, first, first + append.Count - 1));
                else append.Completion.TrySetException(new WrongExpectedVersionException(append.StreamId, append.Expected, version));
            }
            return command;
        }
        catch (Exception ex)
        {
            foreach (var append in batch) append.Completion.TrySetException(ex);
            // The connection may be broken or mid-transaction: never reuse it.
            if (command is not null) await command.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }
}

/// <summary>One caller's append, serialized and waiting for its batch.</summary>
internal sealed record PendingAppend(
    string StreamId, ExpectedVersion Expected, string[] Types, int[] SchemaVersions, string[] Payloads, CancellationToken CancellationToken)
{
    public int Count => Types.Length;

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
