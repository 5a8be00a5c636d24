using Npgsql;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.EventStore;
using Stele.EventStore.Appending;

namespace Stele.Api;

/// <summary>
/// Group commit for HTTP submissions: concurrent submissions share one transaction (one WAL
/// flush), each keeping its own outcome. A group never holds two submissions of the same client
/// or sharing a commitment: such a submission waits for the next group, so every judgement in
/// <see cref="SubmissionLane"/> is independent of the others in its group.
/// </summary>
internal sealed class SubmissionWriter(NpgsqlDataSource database, PostgresEventStore events)
    : GroupCommitter<PendingSubmission, SubmissionLane>(MaxConcurrentGroups, MaxSubmissionsPerGroup, MaxOpeningsPerGroup)
{
    private const int MaxConcurrentGroups = 2;
    private const int MaxSubmissionsPerGroup = 128;
    private const int MaxOpeningsPerGroup = 8192;

    public Task<AppendResult> CommitAsync(PendingSubmission submission)
    {
        Enqueue(submission);
        return submission.Completion.Task;
    }

    protected override int WeightOf(PendingSubmission item) => item.Openings.Count;

    protected override Func<PendingSubmission, bool> NewGroupAdmission()
    {
        var clients = new HashSet<ClientId>();
        var commitments = new HashSet<Commitment>();
        return submission =>
        {
            if (clients.Contains(submission.Client) || submission.Openings.Any(o => commitments.Contains(o.Commitment))) return false;
            clients.Add(submission.Client);
            foreach (var opening in submission.Openings) commitments.Add(opening.Commitment);
            return true;
        };
    }

    protected override Task<SubmissionLane> OpenLaneAsync() => SubmissionLane.OpenAsync(database, events);

    protected override async Task WriteAsync(SubmissionLane lane, List<PendingSubmission> group)
    {
        group.RemoveAll(s => s.CancellationToken.IsCancellationRequested && s.Completion.TrySetCanceled(s.CancellationToken));
        if (group.Count == 0) return;
        try
        {
            Settle(group, await lane.WriteAsync(group).ConfigureAwait(false));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A commitment stored concurrently by another group (the reads cannot see uncommitted
            // rows): judge each submission alone, so only the one that reused it fails.
            if (group.Count == 1)
            {
                group[0].Completion.TrySetException(PendingSubmission.CommitmentReused());
                return;
            }
            foreach (var submission in group) await WriteAsync(lane, [submission]).ConfigureAwait(false);
        }
    }

    protected override void Fail(PendingSubmission item, Exception error) => item.Completion.TrySetException(error);

    private static void Settle(List<PendingSubmission> group, (AppendResult? Appended, ApiError? Refused)[] outcomes)
    {
        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Appended is { } appended) group[i].Completion.TrySetResult(appended);
            else group[i].Completion.TrySetException(outcomes[i].Refused!);
        }
    }
}
