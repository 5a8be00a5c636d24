using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Projections.Fold;
using Stele.Projections.Tests.Support;

namespace Stele.Projections.Tests;

/// <summary>The fold's rules for EntryRedacted (docs/events.md), pure: no database, no storage.</summary>
public sealed class RedactionFoldTests : IDisposable
{
    private static readonly LogOrigin Origin = new("test.example/erase");
    private static readonly DateTimeOffset At = new(2026, 11, 21, 18, 0, 0, 123, TimeSpan.Zero);
    private readonly TestClient _alice = new(Origin);
    private readonly OpeningTable _openings = new();
    private readonly LogFold _fold = new(Origin);
    private readonly FoldState _state = new();
    private readonly LeafRecordTable _earlier = new();
    private readonly List<FoldResult> _results = [];
    private long _position;

    public void Dispose() => _alice.Dispose();

    private FoldResult Fold(params object[] events)
    {
        var result = _fold.Apply(_state, events.Select(e => new FoldInput(++_position, e)).ToArray(), _openings, _earlier);
        foreach (var leaf in result.Leaves) _earlier.Add(leaf.Index, leaf.Record);
        _results.Add(result);
        return result;
    }

    private static EntryRedacted Redact(ulong leaf, string reason = "data subject request", string basis = "GDPR art. 17(1)(b)") => new(leaf, reason, basis, At);

    [Fact]
    public void Erasing_an_entry_of_the_same_run_publishes_a_notice_and_a_tombstone_but_no_blob()
    {
        var big = _alice.Entry(2, _openings, new byte[PayloadSlot.InlineLimit + 1]);
        var result = Fold(_alice.Registration(), _alice.Entry(1, _openings), big, Redact(2));

        Assert.Empty(result.Rejections);
        Assert.Equal(4, result.Leaves.Count);
        var notice = Assert.IsType<RedactionRecord>(LeafRecord.Parse(result.Leaves[3].RecordBytes));
        Assert.Equal(2ul, notice.TargetLeaf);
        Assert.Equal("data subject request", notice.Reason);
        Assert.Equal("GDPR art. 17(1)(b)", notice.LegalBasis);
        Assert.Equal(At, notice.Time);
        Assert.Same(NoPayload.Instance, result.Leaves[3].Payload);
        Assert.Equal(new Tombstone(3), result.Leaves[2].Payload);
        Assert.Null(result.Leaves[2].Blob);
        Assert.IsType<InlinePayload>(result.Leaves[1].Payload);
        var erasure = Assert.Single(result.Erasures);
        Assert.Equal((2ul, 3ul, Commitment.FromBytes(big.Entry.Commitment)), (erasure.Target, erasure.Notice, erasure.Commitment));
        Assert.Equal([BlobPayload.KeyFor(erasure.Commitment)], erasure.ContentKeys());
        Assert.True(_state.IsErased(2, out var at) && at == 3);
    }

    [Fact]
    public void Erasing_an_entry_of_an_earlier_run_needs_its_record_and_leaves_the_tombstone_to_the_publisher()
    {
        Fold(_alice.Registration(), _alice.Batch([1, 2, 3], _openings));
        var result = Fold(Redact(2));
        var erasure = Assert.Single(result.Erasures);
        Assert.Equal((2ul, 4ul), (erasure.Target, erasure.Notice));
        Assert.Equal(4ul, Assert.Single(result.Leaves).Index);
        Assert.Empty(erasure.ContentKeys()); // inline content: the payload file was its only published copy

        var missing = new LogFold(Origin);
        var error = Assert.Throws<InvalidOperationException>(() =>
            missing.Apply(new FoldState(5), [new FoldInput(99, Redact(1))], _openings));
        Assert.Contains("not loaded", error.Message);
    }

    [Fact]
    public void Redactions_of_no_entry_an_erased_entry_or_with_bad_text_are_refused_with_a_reason()
    {
        Fold(_alice.Registration(), _alice.Entry(1, _openings));
        Fold(Redact(1)); // notice at leaf 2
        var result = Fold(
            Redact(9),
            Redact(0),
            Redact(2),
            Redact(1),
            Redact(1, reason: " "),
            Redact(1, basis: new string('x', RedactionRecord.MaxTextBytes + 1)),
            new EntryRedacted(1, "r", "b", new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero)));
        Assert.Empty(result.Leaves);
        Assert.Empty(result.Erasures);
        var reasons = result.Rejections.Select(r => r.Reason).ToArray();
        Assert.Equal(7, reasons.Length);
        Assert.All(reasons, r => Assert.StartsWith("redaction refused: ", r));
        Assert.Contains("leaf 9 does not exist (the tree has 3 leaves)", reasons[0]);
        Assert.Contains("leaf 0 is a registration", reasons[1]);
        Assert.Contains("leaf 2 is a redaction notice", reasons[2]);
        Assert.Contains("leaf 1 is already erased (notice at leaf 2)", reasons[3]);
        Assert.Contains("the reason is empty", reasons[4]);
        Assert.Contains("legal basis has 4097 UTF-8 bytes", reasons[5]);
        Assert.Contains("before 1970", reasons[6]);
        Assert.Equal(3ul, _state.TreeSize);
    }

    [Fact]
    public void An_erased_commitment_is_refused_when_submitted_again()
    {
        var entry = _alice.Entry(1, _openings);
        Fold(_alice.Registration(), entry, Redact(1));
        var facts = entry.Entry with { Sequence = 2 };
        var descriptor = new EntryDescriptor(_alice.Id, 2, Commitment.FromBytes(facts.Commitment), facts.Size, new MediaType(facts.MediaType));
        var again = entry with { Entry = facts, Signature = _alice.SignEntry(descriptor) };
        var result = Fold(again);
        Assert.Empty(result.Leaves);
        Assert.Contains("belongs to erased content", Assert.Single(result.Rejections).Reason);
    }

    [Fact]
    public void A_replay_accepts_an_entry_whose_opening_was_erased_only_when_a_later_redaction_targets_it()
    {
        var kept = _alice.Entry(1, _openings);
        var erased = _alice.Entry(2, _openings, new byte[PayloadSlot.InlineLimit + 5]);
        var history = new object[] { _alice.Registration(), kept, erased, Redact(2) };
        var live = new LogFold(Origin).Apply(new FoldState(), history.Select((e, i) => new FoldInput(i + 1, e)).ToArray(), _openings);

        // After the erasure the opening is gone: the replay without the pre-scan refuses the entry...
        var afterErasure = new OpeningTable();
        afterErasure.Add(Commitment.FromBytes(kept.Entry.Commitment), Opening(_openings, kept));
        var inputs = history.Select((e, i) => new FoldInput(i + 1, e)).ToArray();
        var blind = new LogFold(Origin).Apply(new FoldState(), inputs, afterErasure);
        Assert.Contains("no opening is stored", blind.Rejections[0].Reason);

        // ...and with it, reproduces the live leaves and slots exactly.
        var state = new FoldState();
        state.ExpectErasures(LogFold.RedactionTargets(inputs));
        var replay = new LogFold(Origin).Apply(state, inputs, afterErasure);
        Assert.Empty(replay.Rejections);
        Assert.Equal(live.Leaves.Select(l => l.RecordBytes), replay.Leaves.Select(l => l.RecordBytes));
        Assert.Equal(live.Leaves.Select(l => l.Payload), replay.Leaves.Select(l => l.Payload));
        Assert.Equal(new Tombstone(3), replay.Leaves[2].Payload);
    }

    [Fact]
    public void A_placeholder_waits_across_runs_until_the_redaction_replaces_it()
    {
        var erased = _alice.Entry(1, _openings);
        var commitment = Commitment.FromBytes(erased.Entry.Commitment);
        var empty = new OpeningTable();
        _state.ExpectErasures([1]);
        var first = _fold.Apply(_state, [new FoldInput(1, _alice.Registration()), new FoldInput(2, erased)], empty);
        Assert.Same(NoPayload.Instance, first.Leaves[1].Payload);
        var records = new LeafRecordTable();
        records.Add(1, first.Leaves[1].Record);
        var second = _fold.Apply(_state, [new FoldInput(3, Redact(1))], empty, records);
        var erasure = Assert.Single(second.Erasures);
        Assert.Equal((1ul, 2ul, commitment, (string?)null), (erasure.Target, erasure.Notice, erasure.Commitment, erasure.StoredBlobKey));
    }

    private static Opening Opening(OpeningTable table, EntrySubmitted entry) =>
        table.TryGet(Commitment.FromBytes(entry.Entry.Commitment), out var opening) ? opening : throw new InvalidOperationException();
}
