namespace Stele.EventStore.Appending;

/// <summary>Thread-safe running totals behind <see cref="GroupCommitStatistics"/>.</summary>
internal sealed class GroupCommitCounters
{
    private long _commits;
    private long _appends;
    private long _events;

    public void Record(IReadOnlyList<PendingAppend> batch)
    {
        var events = 0;
        foreach (var append in batch) events += append.Count;
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _appends, batch.Count);
        Interlocked.Add(ref _events, events);
    }

    public GroupCommitStatistics Snapshot() =>
        new(Interlocked.Read(ref _commits), Interlocked.Read(ref _appends), Interlocked.Read(ref _events));
}
