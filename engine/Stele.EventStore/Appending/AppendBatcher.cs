using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

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
    private int _flushers;

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
        try
        {
            var batch = new List<PendingAppend>();
            while (TakeBatch(batch))
            {
                await FlushAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
        finally
        {
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

    private async Task FlushAsync(List<PendingAppend> batch)
    {
        // Appends whose caller gave up before we got to them are not written.
        batch.RemoveAll(a => a.CancellationToken.IsCancellationRequested && a.Completion.TrySetCanceled(a.CancellationToken));
        if (batch.Count == 0) return;
        try
        {
            var results = await ExecuteAsync(batch).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                var (ok, first, version) = results[i];
                var append = batch[i];
                if (ok) append.Completion.TrySetResult(new AppendResult(version, first, first + append.Count - 1));
                else append.Completion.TrySetException(new WrongExpectedVersionException(append.StreamId, append.Expected, version));
            }
        }
        catch (Exception ex)
        {
            foreach (var append in batch) append.Completion.TrySetException(ex);
        }
    }

    private async Task<(bool Ok, long First, long Version)[]> ExecuteAsync(List<PendingAppend> batch)
    {
        var streams = new string[batch.Count];
        var expected = new long[batch.Count];
        var counts = new int[batch.Count];
        var total = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            (streams[i], expected[i], counts[i]) = (batch[i].StreamId, batch[i].Expected.Value, batch[i].Count);
            total += batch[i].Count;
        }
        var types = new string[total];
        var versions = new int[total];
        var payloads = new string[total];
        var at = 0;
        foreach (var append in batch)
        {
            append.Types.CopyTo(types, at);
            append.SchemaVersions.CopyTo(versions, at);
            append.Payloads.CopyTo(payloads, at);
            at += append.Count;
        }

        await using var connection = await Connections.OpenAsync(dataSource, CancellationToken.None).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT ok, first_position, stream_version FROM stele.append_batch($1, $2, $3, $4, $5, $6)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = expected, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = counts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        await command.PrepareAsync().ConfigureAwait(false);

        var results = new (bool, long, long)[batch.Count];
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var row = 0;
        while (await reader.ReadAsync().ConfigureAwait(false))
            results[row++] = (reader.GetBoolean(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.GetInt64(2));
        if (row != batch.Count) throw new EventStoreException($"stele.append_batch returned {row} results for {batch.Count} appends");
        return results;
    }
}

/// <summary>One caller's append, serialized and waiting for its batch.</summary>
internal sealed record PendingAppend(
    string StreamId, ExpectedVersion Expected, string[] Types, int[] SchemaVersions, string[] Payloads, CancellationToken CancellationToken)
{
    public int Count => Types.Length;

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
