using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Records;
using Stele.EventStore;
using Stele.Projections.Fold;
using Stele.Projections.Publishing;
using Stele.Projections.ReadModels;
using Stele.Storage;

namespace Stele.Projections.Daemon;

/// <summary>
/// One cycle's fold, shared by the live projection and the rebuild: picks the log facts after a
/// position, loads what their redactions and entries need (earlier records, openings), folds.
/// </summary>
internal static class CycleFolder
{
    /// <summary>Folds the log facts of <paramref name="events"/> after <paramref name="position"/>; also returns how many were folded.</summary>
    public static async Task<(FoldResult Result, int Inputs)> FoldAsync(
        LogFold fold, FoldState state, LogPublisher publisher, LogReadModels readModels, IObjectStore blobStore,
        IReadOnlyList<RecordedEvent> events, long position, CancellationToken ct)
    {
        var inputs = new List<FoldInput>(events.Count);
        foreach (var e in events)
        {
            if (e.Position <= position) continue; // already folded (a page that overlaps a resumed position)
            if (IsLogFact(e.StreamId)) inputs.Add(new FoldInput(e.Position, e.Data));
        }
        var last = events.Count > 0 ? Math.Max(position, events[^1].Position) : position;
        // Redactions of leaves from earlier cycles need their records (kind, commitment) and openings (stored blob key).
        var targets = await publisher.ReadRecordsAsync(LogFold.RedactionTargets(inputs), ct).ConfigureAwait(false);
        var commitments = CommitmentsOf(inputs);
        foreach (var leaf in LogFold.RedactionTargets(inputs))
            if (targets.TryGet(leaf, out var record) && EntryCommitment(record) is { } c) commitments.Add(c);
        var openings = await readModels.LoadOpeningsAsync(commitments, blobStore, ct).ConfigureAwait(false);
        var result = fold.Apply(state, inputs, openings, targets);
        if (result.LastPosition < last) result.LastPosition = last; // events of other streams move the checkpoint too
        return (result, inputs.Count);
    }

    // Log facts live in stream "log" (operator and broker) and in each client's own stream
    // (submissions, see LogEventTypes.ClientStream); global position alone orders them.
    public static bool IsLogFact(string streamId) =>
        streamId == LogEventTypes.LogStream || streamId.StartsWith("client-", StringComparison.Ordinal);

    private static Commitment? EntryCommitment(LeafRecord record) => record switch
    {
        EntryRecord e => e.Descriptor.Commitment,
        BatchedEntryRecord b => b.Descriptor.Commitment,
        _ => null,
    };

    private static HashSet<Commitment> CommitmentsOf(List<FoldInput> inputs)
    {
        var set = new HashSet<Commitment>();
        foreach (var (_, data) in inputs)
        {
            switch (data)
            {
                case EntrySubmitted e: Add(e.Entry); break;
                case BatchSubmitted b: foreach (var f in b.Entries ?? []) Add(f); break;
                case BatchDistilled d: foreach (var f in d.Entries ?? []) Add(f); break;
            }
        }
        return set;

        void Add(EntryFacts? facts)
        {
            if (facts?.Commitment is { Length: Commitment.Length } c) set.Add(Commitment.FromBytes(c));
        }
    }
}
