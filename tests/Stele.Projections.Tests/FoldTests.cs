using Stele.Domain.Batches;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Projections.Fold;
using Stele.Projections.Tests.Support;

namespace Stele.Projections.Tests;

public sealed class FoldTests : IDisposable
{
    private static readonly LogOrigin Origin = new("test.example/fold");
    private readonly TestClient _alice = new(Origin);
    private readonly TestClient _bob = new(Origin);
    private readonly OpeningTable _openings = new();
    private readonly LogFold _fold = new(Origin);
    private readonly FoldState _state = new();
    private long _position;

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private FoldResult Fold(params object[] events) =>
        _fold.Apply(_state, events.Select(e => new FoldInput(++_position, e)).ToArray(), _openings);

    private void Register(params TestClient[] clients) => Assert.Empty(Fold(clients.Select(c => (object)c.Registration()).ToArray()).Rejections);

    [Fact]
    public void Registration_becomes_a_registration_leaf_without_payload()
    {
        var result = Fold(_alice.Registration());
        var leaf = Assert.Single(result.Leaves);
        Assert.Equal(0ul, leaf.Index);
        var record = Assert.IsType<RegistrationRecord>(LeafRecord.Parse(leaf.RecordBytes));
        Assert.Equal(_alice.Id, record.Client);
        Assert.Same(NoPayload.Instance, leaf.Payload);
        Assert.Equal(_alice.Id, Assert.Single(result.Registrations).Client);
        Assert.Equal(1ul, _state.TreeSize);
    }

    [Fact]
    public void Registrations_with_bad_proof_forged_self_signature_wrong_id_or_twice_are_refused()
    {
        var good = _alice.Registration();
        var badPop = good with { BlsProofOfPossession = _bob.Bls.ProvePossession().ToBytes() };
        var forged = good with { SelfSignature = _bob.Ed.Sign("x"u8).ToArray() };
        var wrongId = good with { Client = good.Client ^ 1 };
        var result = Fold(badPop, forged, wrongId, good, good);
        Assert.Single(result.Leaves);
        Assert.Equal(4, result.Rejections.Count);
        Assert.Contains("proof of possession", result.Rejections[0].Reason);
        Assert.Contains("self-signature", result.Rejections[1].Reason);
        Assert.Contains("does not match its keys", result.Rejections[2].Reason);
        Assert.Contains("already registered", result.Rejections[3].Reason);
        Assert.Equal(5, result.Rejections[3].Position);
    }

    [Fact]
    public void Entry_is_accepted_with_its_inline_opening()
    {
        Register(_alice);
        var content = "hello board"u8.ToArray();
        var result = Fold(_alice.Entry(1, _openings, content));
        var leaf = Assert.Single(result.Leaves);
        Assert.Equal(1ul, leaf.Index);
        var record = Assert.IsType<EntryRecord>(LeafRecord.Parse(leaf.RecordBytes));
        Assert.Equal(1ul, record.Descriptor.Sequence);
        var slot = Assert.IsType<InlinePayload>(leaf.Payload);
        Assert.Equal(content, slot.Content.ToArray());
        Assert.True(slot.Opens(record.Descriptor.Commitment, record.Descriptor.Size));
        Assert.Equal(1ul, Assert.Single(result.Statuses).Leaf);
        Assert.Equal(1ul, result.SequenceUpdates[_alice.Id]);
    }

    [Fact]
    public void Forged_replayed_unknown_and_unopened_entries_leave_no_leaf()
    {
        Register(_alice);
        var good = _alice.Entry(5, _openings);
        var forged = good with { Signature = _bob.SignEntry(_bob.Content(5, [1]).Descriptor) };
        var older = _alice.Entry(3, _openings);
        var unknown = _bob.Entry(1, _openings);
        var noOpening = _alice.Entry(9, new OpeningTable());
        var result = Fold(forged, good, good, older, unknown, noOpening);
        Assert.Single(result.Leaves);
        var reasons = result.Rejections.Select(r => r.Reason).ToArray();
        Assert.Equal(5, reasons.Length);
        Assert.Contains("does not verify", reasons[0]);
        Assert.Contains("replayed sequence number 5", reasons[1]);
        Assert.Contains("replayed sequence number 3", reasons[2]);
        Assert.Contains("unknown client", reasons[3]);
        Assert.Contains("no opening", reasons[4]);
        Assert.Equal(6, result.Statuses.Count);
        Assert.Single(result.Statuses, s => s.Leaf is not null);
    }

    [Fact]
    public void An_opening_that_does_not_open_the_commitment_is_refused()
    {
        Register(_alice);
        var entry = _alice.Entry(1, _openings, "vote: yes"u8.ToArray());
        var commitment = Stele.Domain.Content.Commitment.FromBytes(entry.Entry.Commitment);
        _openings.TryGet(commitment, out var opening);
        _openings.Add(commitment, opening with { Content = "vote: no!"u8.ToArray() });
        var result = Fold(entry);
        Assert.Empty(result.Leaves);
        Assert.Contains("does not open", Assert.Single(result.Rejections).Reason);
        var wrongSize = _alice.Entry(2, _openings);
        var c2 = Stele.Domain.Content.Commitment.FromBytes(wrongSize.Entry.Commitment);
        _openings.TryGet(c2, out var o2);
        _openings.Add(c2, o2 with { Size = o2.Size + 1 });
        Assert.Contains("bytes, the entry says", Assert.Single(Fold(wrongSize).Rejections).Reason);
    }

    [Fact]
    public void Large_entries_get_a_blob_slot()
    {
        Register(_alice);
        var big = new byte[PayloadSlot.InlineLimit + 1];
        big[7] = 7;
        var leaf = Assert.Single(Fold(_alice.Entry(1, _openings, big)).Leaves);
        var slot = Assert.IsType<BlobPayload>(leaf.Payload);
        Assert.Equal((ulong)big.Length, slot.Size);
        Assert.NotNull(leaf.Blob);
        Assert.StartsWith("blob/", leaf.Blob!.PublishedKey);
    }

    [Fact]
    public void Many_pending_entries_are_checked_in_parallel_and_each_forgery_is_caught()
    {
        Register(_alice);
        var events = new List<object>();
        for (ulong s = 1; s <= 200; s++)
        {
            var e = _alice.Entry(s, _openings);
            events.Add(s % 17 == 0 ? e with { Signature = _alice.SignEntry(_alice.Content(s + 1000, [2]).Descriptor) } : e);
        }
        var result = Fold([.. events]);
        Assert.Equal(200 - 11, result.Leaves.Count);
        Assert.Equal(11, result.Rejections.Count);
        Assert.All(result.Rejections, r => Assert.Equal(0, (r.Position - 1) % 17));
    }

    [Fact]
    public void Batch_becomes_consecutive_batched_leaves_and_a_certificate()
    {
        Register(_alice);
        var batch = _alice.Batch([1, 2, 3, 4, 5], _openings);
        var result = Fold(batch);
        Assert.Equal(5, result.Leaves.Count);
        var certificate = Assert.IsType<SingleClientBatchCertificate>(Assert.Single(result.Certificates));
        Assert.Equal(1ul, certificate.FirstLeaf);
        Assert.Equal(5u, certificate.Count);
        for (var i = 0; i < 5; i++)
        {
            var record = Assert.IsType<BatchedEntryRecord>(LeafRecord.Parse(result.Leaves[i].RecordBytes));
            Assert.Equal((uint)i, record.IndexInBatch);
            Assert.Equal(certificate.Root, record.Batch);
        }
        Assert.Equal(5ul, result.SequenceUpdates[_alice.Id]);
    }

    [Fact]
    public void Batches_that_are_not_canonical_misstate_their_root_or_replay_are_refused()
    {
        Register(_alice);
        var first = _alice.Batch([1, 2], _openings);
        var reordered = first with { Entries = [first.Entries[1], first.Entries[0]] };
        var wrongRoot = first with { Root = new byte[32] };
        var replay = _alice.Batch([2, 3], _openings);
        var single = _alice.Entry(3, _openings);
        var result = Fold(reordered, wrongRoot, first, replay, single, _alice.Batch([3, 4], _openings));
        Assert.Equal(3, result.Leaves.Count);
        var reasons = result.Rejections.Select(r => r.Reason).ToArray();
        Assert.Equal(4, reasons.Length);
        Assert.Contains("canonical", reasons[0]);
        Assert.Contains("is not the root", reasons[1]);
        Assert.Contains("replayed sequence number 2", reasons[2]);
        Assert.Contains("replayed sequence number 3", reasons[3]); // across kinds: the single entry took 3
        Assert.Equal(2, result.Statuses.Count(s => s.Rejection is not null && s.Position == result.Rejections[^1].Position));
    }

    [Fact]
    public void Distilled_batch_needs_the_aggregate_and_straggler_signatures()
    {
        Register(_alice, _bob);
        var entries = new List<(TestClient, ulong)> { (_alice, 1), (_alice, 2), (_bob, 1) };
        var good = Distiller.Distil(Origin, entries, _openings, new HashSet<TestClient> { _bob });
        var result = Fold(good);
        Assert.Equal(3, result.Leaves.Count);
        var certificate = Assert.IsType<DistilledBatchCertificate>(Assert.Single(result.Certificates));
        Assert.Equal([_alice.Id], certificate.Participants);
        Assert.Equal(_bob.Id, Assert.Single(certificate.Stragglers).Client);

        var allSign = Distiller.Distil(Origin, [(_alice, 3), (_bob, 2)], _openings);
        var badAggregate = allSign with { AggregateSignature = _alice.Bls.Sign("other"u8).ToBytes() };
        var uncovered = allSign with { Participants = [allSign.Participants[0]] };
        var badStraggler = Distiller.Distil(Origin, [(_alice, 3), (_bob, 2)], _openings, new HashSet<TestClient> { _bob });
        badStraggler = badStraggler with { Stragglers = [badStraggler.Stragglers[0] with { Signature = new byte[64] }] };
        var second = Fold(badAggregate, uncovered, badStraggler, allSign, allSign);
        Assert.Equal(2, second.Leaves.Count);
        var reasons = second.Rejections.Select(r => r.Reason).ToArray();
        Assert.Equal(4, reasons.Length);
        Assert.Contains("aggregate BLS signature", reasons[0]);
        Assert.Contains("covered by neither", reasons[1]);
        Assert.Contains("straggler", reasons[2]);
        Assert.Contains("replayed", reasons[3]);
    }

    [Fact]
    public void The_fold_is_deterministic()
    {
        var events = new object[] { _alice.Registration(), _bob.Registration(), _alice.Entry(1, _openings), _bob.Batch([1, 2], _openings) };
        var inputs = events.Select((e, i) => new FoldInput(i + 1, e)).ToArray();
        var once = new LogFold(Origin).Apply(new FoldState(), inputs, _openings);
        var twice = new LogFold(Origin).Apply(new FoldState(), inputs, _openings);
        Assert.Equal(once.Leaves.Select(l => l.RecordBytes), twice.Leaves.Select(l => l.RecordBytes));
        Assert.Equal(once.Certificates.Select(c => c.ToBytes()), twice.Certificates.Select(c => c.ToBytes()));
        Assert.Equal(5, once.Leaves.Count);
    }
}
