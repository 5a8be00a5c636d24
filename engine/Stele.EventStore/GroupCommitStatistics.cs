namespace Stele.EventStore;

/// <summary>
/// What group commit achieved so far in this process: how many transactions carried how many
/// <see cref="PostgresEventStore.AppendAsync"/> calls (accepted or refused) and events.
/// </summary>
public sealed record GroupCommitStatistics(long Commits, long Appends, long Events)
{
    public double AppendsPerCommit => Commits == 0 ? 0 : (double)Appends / Commits;

    /// <summary>What happened between an earlier snapshot and this one.</summary>
    public GroupCommitStatistics Since(GroupCommitStatistics earlier) =>
        new(Commits - earlier.Commits, Appends - earlier.Appends, Events - earlier.Events);
}
