using Npgsql;

namespace Stele.EventStore.Appending;

/// <summary>
/// Client-side group commit for <see cref="PostgresEventStore.AppendAsync"/>: concurrent appends
/// are written together with one <c>stele.append_batch</c> call (one round trip, one transaction,
/// one WAL flush). Each append still checks its own expected version and succeeds or fails alone.
/// </summary>
internal sealed class AppendBatcher(NpgsqlDataSource dataSource, int maxConcurrentFlushes)
    : GroupCommitter<PendingAppend, AppendBatchCommand>(maxConcurrentFlushes, MaxAppendsPerBatch, MaxEventsPerBatch)
{
    private const int MaxAppendsPerBatch = 256;
    private const int MaxEventsPerBatch = 4096;

    private readonly GroupCommitCounters _statistics = new();

    public GroupCommitStatistics Statistics => _statistics.Snapshot();

    public Task<AppendResult> AppendAsync(PendingAppend append)
    {
        Enqueue(append);
        return append.Completion.Task;
    }

    protected override int WeightOf(PendingAppend item) => item.Count;

    protected override Task<AppendBatchCommand> OpenLaneAsync() => AppendBatchCommand.OpenAsync(dataSource);

    protected override async Task WriteAsync(AppendBatchCommand lane, List<PendingAppend> batch)
    {
        // Appends whose caller gave up before we got to them are not written.
        batch.RemoveAll(a => a.CancellationToken.IsCancellationRequested && a.Completion.TrySetCanceled(a.CancellationToken));
        if (batch.Count == 0) return;
        var results = await lane.ExecuteAsync(batch, CancellationToken.None).ConfigureAwait(false);
        _statistics.Record(batch);
        for (var i = 0; i < batch.Count; i++)
        {
            var append = batch[i];
            if (results[i].ToResult(append) is { } result) append.Completion.TrySetResult(result);
            else append.Completion.TrySetException(new WrongExpectedVersionException(append.StreamId, append.Expected, results[i].StreamVersion));
        }
    }

    protected override void Fail(PendingAppend item, Exception error) => item.Completion.TrySetException(error);
}

/// <summary>One caller's append, serialized and waiting for its batch.</summary>
internal sealed record PendingAppend(
    string StreamId, ExpectedVersion Expected, string[] Types, int[] SchemaVersions, string[] Payloads, CancellationToken CancellationToken)
{
    public int Count => Types.Length;

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
