using Stele.Domain.Events;
using Stele.Domain.Payloads;
using Stele.Domain.Records;

namespace Stele.Projections.Fold;

public sealed partial class LogFold
{
    /// <summary>
    /// EntryRedacted: the target is an entry of the log (individually signed or batched), not erased
    /// yet; the reason and legal basis are 1…<see cref="RedactionRecord.MaxTextBytes"/> UTF-8 bytes and
    /// the time is after 1970. → a kind-4 notice leaf; the target's slot becomes a tombstone naming it.
    /// </summary>
    private static void FoldRedaction(Context context, long position, EntryRedacted e)
    {
        var (state, openings, _, result) = context;
        try
        {
            CheckText(e.Reason, "reason");
            CheckText(e.LegalBasis, "legal basis");
            if (e.At < DateTimeOffset.UnixEpoch) throw new FoldRejected($"the redaction time {e.At:O} is before 1970");
            var target = e.LeafIndex;
            if (target >= state.TreeSize) throw new FoldRejected($"leaf {target} does not exist (the tree has {state.TreeSize} leaves)");
            var descriptor = RecordOf(context, target) switch
            {
                EntryRecord entry => entry.Descriptor,
                BatchedEntryRecord batched => batched.Descriptor,
                RegistrationRecord => throw new FoldRejected($"leaf {target} is a registration: it has no content to erase"),
                RedactionRecord => throw new FoldRejected($"leaf {target} is a redaction notice: it has no content to erase"),
                var other => throw new FoldRejected($"leaf {target} is a {other.Kind} record: it has no content to erase"),
            };
            if (state.IsErased(target, out var earlier)) throw new FoldRejected($"leaf {target} is already erased (notice at leaf {earlier})");

            var notice = state.TreeSize++;
            var record = new RedactionRecord(target, DateTimeOffset.FromUnixTimeMilliseconds(e.At.ToUnixTimeMilliseconds()), e.Reason, e.LegalBasis);
            result.Leaves.Add(new NewLeaf(notice, position, record, NoPayload.Instance, null));
            state.AddErasure(target, notice, descriptor.Commitment);
            var stored = openings.TryGet(descriptor.Commitment, out var opening) ? opening.BlobKey : null;
            var erasure = new Erasure(target, notice, descriptor.Commitment, descriptor.Size, position, stored);
            result.Erasures.Add(erasure);
            if (target >= result.FirstLeaf)
            {
                // Folded in this same run: tombstone it before anything is published, and publish no blob.
                var i = (int)(target - result.FirstLeaf);
                result.Leaves[i] = result.Leaves[i] with { Payload = erasure.Tombstone, Blob = null };
            }
        }
        catch (FoldRejected rejected)
        {
            result.Rejections.Add(new EventRejection(position, "redaction refused: " + rejected.Message));
        }
    }

    private static LeafRecord RecordOf(Context context, ulong leaf)
    {
        var result = context.Result;
        if (leaf >= result.FirstLeaf) return result.Leaves[(int)(leaf - result.FirstLeaf)].Record;
        return context.EarlierLeaves.TryGet(leaf, out var record)
            ? record
            : throw new InvalidOperationException($"the record of leaf {leaf}, target of a redaction, was not loaded before the fold");
    }

    private static void CheckText(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new FoldRejected($"the {what} is empty");
        var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        if (bytes > RedactionRecord.MaxTextBytes) throw new FoldRejected($"the {what} has {bytes} UTF-8 bytes; at most {RedactionRecord.MaxTextBytes} are allowed");
    }

    /// <summary>The leaves the redactions of <paramref name="events"/> target (what a replay pre-scans, and what the caller loads).</summary>
    public static IEnumerable<ulong> RedactionTargets(IEnumerable<FoldInput> events) =>
        events.Select(e => e.Event).OfType<EntryRedacted>().Select(r => r.LeafIndex);
}
