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
        var (inputs, last) = LogFacts(events, position);
        var openings = await LoadEntryOpeningsAsync(readModels, inputs, blobStore, ct).ConfigureAwait(false);
        return (await FoldLoadedAsync(fold, state, publisher, readModels, blobStore, inputs, last, openings, ct).ConfigureAwait(false), inputs.Count);
    }

    /// <summary>The log facts of <paramref name="events"/> after <paramref name="position"/>, and the position the cycle ends at.</summary>
    public static (List<FoldInput> Inputs, long Last) LogFacts(IReadOnlyList<RecordedEvent> events, long position)
    {
        var inputs = new List<FoldInput>(events.Count);
        foreach (var e in events)
        {
            if (e.Position <= position) continue; // already folded (a page that overlaps a resumed position)
            if (IsLogFact(e.StreamId)) inputs.Add(new FoldInput(e.Position, e.Data));
        }
        return (inputs, events.Count > 0 ? Math.Max(position, events[^1].Position) : position);
    }

    /// <summary>
    /// Folds <paramref name="inputs"/> given the openings of their entries (<see cref="EntryCommitments"/>,
    /// loaded ahead by the caller); loads what their redactions need (earlier records, openings) itself.
    /// </summary>
    public static async Task<FoldResult> FoldLoadedAsync(
        LogFold fold, FoldState state, LogPublisher publisher, LogReadModels readModels, IObjectStore blobStore,
        List<FoldInput> inputs, long last, OpeningTable entryOpenings, CancellationToken ct)
    {
        // Redactions of leaves from earlier cycles need their records (kind, commitment) and openings (stored blob key).
        var redacted = LogFold.RedactionTargets(inputs).ToList();
        var targets = await publisher.ReadRecordsAsync(redacted, ct).ConfigureAwait(false);
        var commitments = new HashSet<Commitment>();
        foreach (var leaf in redacted)
            if (targets.TryGet(leaf, out var record) && EntryCommitment(record) is { } c) commitments.Add(c);
        if (commitments.Count > 0)
            foreach (var (commitment, opening) in await readModels.LoadOpeningsAsync(commitments, blobStore, ct).ConfigureAwait(false))
                entryOpenings.Add(commitment, opening);
        var result = fold.Apply(state, inputs, entryOpenings, targets);
        if (result.LastPosition < last) result.LastPosition = last; // events of other streams move the checkpoint too
        return result;
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

    /// <summary>
    /// The openings the entries of <paramref name="inputs"/> need: the packed rows of their batches
    /// (stele.packed_openings, keyed by the BatchDistilled and BatchSubmitted positions), then stele.contents for the rest.
    /// </summary>
    public static Task<OpeningTable> LoadEntryOpeningsAsync(LogReadModels readModels, List<FoldInput> inputs, IObjectStore blobStore, CancellationToken ct)
    {
        return readModels.LoadOpeningsAsync(EntryCommitments(inputs), PackedBatchPositions(inputs), blobStore, ct);
    }

    /// <summary>The positions of the batch events of <paramref name="inputs"/>, whose openings may sit in one packed row each.</summary>
    public static long[] PackedBatchPositions(List<FoldInput> inputs) =>
        inputs.Where(i => i.Event is BatchDistilled or BatchSubmitted).Select(i => i.Position).ToArray();

    /// <summary>The commitments that the entries of <paramref name="inputs"/> name: the openings their fold needs.</summary>
    public static HashSet<Commitment> EntryCommitments(List<FoldInput> inputs)
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
