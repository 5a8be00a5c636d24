using Stele.Broker.Batching;
using Stele.Broker.Counters;
using Stele.Broker.Protocol;
using Stele.Broker.Tests.Support;

namespace Stele.Broker.Tests;

public sealed class BatchMachineTests
{
    private static readonly BrokerOptions Small = new() { BatchSize = 8, BatchArenaBytes = 64 * 1024, MaxBatchesInFlight = 2, BatchTimeout = TimeSpan.FromMilliseconds(100), ShareTimeout = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public void Bad_submissions_are_counted_and_dropped_while_good_ones_are_batched_in_canonical_order_with_valid_proofs()
    {
        using var a = new Identity();
        using var b = new Identity();
        var h = new MachineHarness(Small, a.Registered(last: 10), b.Registered());
        h.Submit(Wire.Submit(b.Id.Value, 3));
        h.Submit(Wire.Submit(a.Id.Value, 12));
        h.Submit(Wire.Submit(a.Id.Value, 11));
        h.Submit(Wire.Submit(0xdead, 1)); // unknown client
        h.Submit(Wire.Submit(a.Id.Value, 10)); // not above the client's last sequence
        var duplicate = Wire.Submit(b.Id.Value, 3);
        h.Submit(duplicate); // (b, 3) is already in the batch
        var tampered = Wire.Submit(b.Id.Value, 4);
        tampered[^2] ^= 1; // content no longer matches the commitment
        h.Submit(tampered);
        Assert.Equal(1, h[BrokerCounter.DroppedUnknownClient]);
        Assert.Equal(1, h[BrokerCounter.DroppedReplayedSequence]);
        Assert.Equal(1, h[BrokerCounter.DroppedDuplicate]);
        Assert.Equal(1, h[BrokerCounter.DroppedCommitmentMismatch]);
        Assert.Equal(3, h[BrokerCounter.SubmitsAccepted]);

        h.Machine.Tick(99);
        Assert.Empty(h.OfType(MessageType.Proof));
        h.Machine.Tick(100); // the batch timeout closes it
        var proofs = h.OfType(MessageType.Proof).Select(p => { ProofMessage.TryDecode(p, out var m); return (m.Client, m.Sequence, m.Index, m.ClientFirst, m.ClientCount); }).ToList();
        Assert.Equal(3, proofs.Count);
        var expectedOrder = new[] { (a.Id.Value, 11UL), (a.Id.Value, 12UL), (b.Id.Value, 3UL) }.OrderBy(x => x.Item1).ThenBy(x => x.Item2).ToArray();
        Assert.Equal(expectedOrder, proofs.OrderBy(p => p.Index).Select(p => (p.Client, p.Sequence)).ToArray());
        Assert.All(proofs.Where(p => p.Client == a.Id.Value), p => Assert.Equal(2u, p.ClientCount));
        Assert.Equal(2, h.OfType(MessageType.Reject).Count()); // the replay and the mismatch; nothing to unknown clients or retransmissions
    }

    [Fact]
    public void Bad_shares_are_found_by_bisection_and_their_entries_dropped_in_a_second_round()
    {
        using var good1 = new Identity();
        using var good2 = new Identity();
        using var wrongKey = new Identity();
        using var wrongMessage = new Identity();
        using var other = new Identity();
        var h = new MachineHarness(Small, good1.Registered(), good2.Registered(), wrongKey.Registered(), wrongMessage.Registered());
        foreach (var c in new[] { good1, good2, wrongKey, wrongMessage }) h.Submit(Wire.Submit(c.Id.Value, 1));
        h.Machine.Close(0);
        var proposal = h.LatestProposal();
        h.Share(good1, proposal);
        h.Share(good2, proposal);
        h.Share(wrongKey, proposal, message => other.Bls.Sign(message).ToUncompressedBytes());
        h.Share(wrongMessage, proposal, _ => wrongMessage.Bls.Sign("not the root"u8).ToBytes()); // compressed is accepted too
        var batch = Assert.Single(h.Machine.ReadyToDistil); // all shares in: distil at once
        h.Machine.ReadyToDistil.Clear();

        var outcome = Distiller.Distil(batch, h.Directory, MachineHarness.Origin);
        Assert.Equal(2, outcome.BadShares);
        Assert.Equal(2, outcome.ParticipantRanges.Length);
        Assert.Equal(2, outcome.UncoveredEntries.Length);
        h.Machine.OnDistilled(batch, outcome, 1);
        Assert.Equal(2, h[BrokerCounter.DroppedBadShare]);
        Assert.Equal(2, h[BrokerCounter.DroppedNotCovered]);
        Assert.Equal(1, h[BrokerCounter.BatchesRetried]);

        var second = h.LatestProposal();
        Assert.Equal(2, second.Count);
        Assert.NotEqual(proposal.Root, second.Root);
        h.Share(good1, second);
        h.Share(good2, second);
        var retried = Assert.Single(h.Machine.ReadyToDistil);
        var final = Distiller.Distil(retried, h.Directory, MachineHarness.Origin);
        Assert.True(final.IsComplete);
        h.Machine.OnDistilled(retried, final, 2);
        var (written, writtenOutcome) = Assert.Single(h.Machine.ReadyToWrite);
        Assert.Same(retried, written);
        h.Machine.OnWritten(written, writtenOutcome, position: 77);
        Assert.Equal(2, h[BrokerCounter.EntriesDistilled]);
        Assert.Equal(2, h.OfType(MessageType.Result).Count());
    }

    [Fact]
    public void A_client_without_a_share_keeps_its_entry_only_with_a_valid_individual_signature()
    {
        using var participant = new Identity();
        using var straggler = new Identity();
        using var forger = new Identity();
        var h = new MachineHarness(Small, participant.Registered(), straggler.Registered(), forger.Registered());
        h.Submit(Wire.Submit(participant.Id.Value, 1));
        h.Submit(Signed(straggler, 1, straggler));
        h.Submit(Signed(forger, 1, straggler)); // signed with someone else's key
        h.Machine.Close(0);
        h.Share(participant, h.LatestProposal());
        h.Machine.Tick(100); // share timeout
        var batch = Assert.Single(h.Machine.ReadyToDistil);
        var outcome = Distiller.Distil(batch, h.Directory, MachineHarness.Origin);
        Assert.Single(outcome.StragglerEntries);
        Assert.Equal(straggler.Id.Value, batch.Client[outcome.StragglerEntries[0]]);
        Assert.Single(outcome.UncoveredEntries);
        Assert.Equal(1, outcome.BadStragglerSignatures);
    }

    [Fact]
    public void With_every_buffer_in_flight_new_submissions_are_shed_and_counted()
    {
        using var c = new Identity();
        var h = new MachineHarness(Small with { BatchSize = 2, MaxBatchesInFlight = 1 }, c.Registered());
        h.Submit(Wire.Submit(c.Id.Value, 1));
        h.Submit(Wire.Submit(c.Id.Value, 2)); // full: closes, now in flight
        h.Submit(Wire.Submit(c.Id.Value, 3));
        h.Submit(Wire.Submit(c.Id.Value, 4)); // full again, but cannot close: the limit is one in flight
        h.Submit(Wire.Submit(c.Id.Value, 5));
        Assert.Equal(1, h[BrokerCounter.DroppedOverloaded]);
        Assert.Equal(1, h[BrokerCounter.BatchesProposed]);
        var reject = h.OfType(MessageType.Reject).Single();
        Assert.Equal(DecodeError.None, RejectMessage.TryDecode(reject, out var m));
        Assert.Equal((5UL, RejectReason.Overloaded), (m.Sequence, m.Reason));
        Assert.Equal(4, h.Machine.Collecting + 2);
    }

    [Fact]
    public void Shares_for_unknown_batches_or_roots_and_from_non_members_are_counted()
    {
        using var c = new Identity();
        using var d = new Identity();
        using var outsider = new Identity();
        var h = new MachineHarness(Small, c.Registered(), d.Registered(), outsider.Registered());
        h.Submit(Wire.Submit(c.Id.Value, 1));
        h.Submit(Wire.Submit(d.Id.Value, 1));
        h.Machine.Close(0);
        var proposal = h.LatestProposal();
        h.Share(c, (proposal.Batch + 5, proposal.Root, proposal.Count));
        h.Share(c, (proposal.Batch, new byte[32], proposal.Count));
        h.Share(outsider, proposal);
        Assert.Equal((2L, 1L), (h[BrokerCounter.DroppedLateShare], h[BrokerCounter.DroppedBadShare]));
        h.Share(c, proposal);
        h.Share(c, proposal);
        Assert.Equal(1, h[BrokerCounter.SharesAccepted]);
        Assert.Equal(1, h[BrokerCounter.DroppedDuplicate]);
    }

    private static byte[] Signed(Identity client, ulong sequence, Identity signer) => Wire.SignedSubmit(MachineHarness.Origin, client, sequence, signer);

    [Fact]
    public void A_batch_whose_clients_all_lost_their_shares_is_complete_with_stragglers_alone()
    {
        using var a = new Identity();
        using var b = new Identity();
        var h = new MachineHarness(Small, a.Registered(), b.Registered());
        h.Submit(Signed(a, 1, a));
        h.Submit(Signed(b, 1, b));
        h.Submit(Signed(b, 2, b));
        h.Machine.Close(0);
        h.Machine.Tick(100); // no share ever comes
        var batch = Assert.Single(h.Machine.ReadyToDistil);
        var outcome = Distiller.Distil(batch, h.Directory, MachineHarness.Origin);
        Assert.Empty(outcome.ParticipantRanges);
        Assert.Null(outcome.AggregateSignature);
        Assert.Equal(3, outcome.StragglerEntries.Length);
        Assert.True(outcome.IsComplete);
        h.Machine.OnDistilled(batch, outcome, 100);
        Assert.Same(batch, Assert.Single(h.Machine.ReadyToWrite).Batch);
    }

    [Fact]
    public void A_retransmitted_submission_of_a_batched_entry_hears_its_proof_and_result_again_not_replay()
    {
        using var c = new Identity();
        var h = new MachineHarness(Small, c.Registered());
        var submit = Wire.Submit(c.Id.Value, 1);
        h.Submit(submit, source: 5);
        h.Machine.Close(0);
        Assert.Single(h.OfType(MessageType.Proof));
        h.Submit(submit, source: 5); // proposed: the proof again
        Assert.Equal(2, h.OfType(MessageType.Proof).Count());

        h.Share(c, h.LatestProposal());
        var batch = Assert.Single(h.Machine.ReadyToDistil);
        h.Machine.ReadyToDistil.Clear();
        h.Machine.OnDistilled(batch, Distiller.Distil(batch, h.Directory, MachineHarness.Origin), 1);
        var (written, outcome) = Assert.Single(h.Machine.ReadyToWrite);
        h.Machine.OnWritten(written, outcome, position: 42);

        h.Sent.Clear();
        h.Submit(submit, source: 5); // released, retained: proof and RESULT committed
        Assert.Equal([MessageType.Proof, MessageType.Result], h.Sent.Select(s => (MessageType)s.Datagram[1]).ToArray());
        Assert.Equal(DecodeError.None, ResultMessage.TryDecode(h.Sent[1].Datagram, out var committed));
        Assert.Equal((ResultStatus.Committed, 42UL), (committed.Status, committed.Value));

        h.Machine.OnPlaced(batch.Id, firstLeaf: 1000);
        h.Sent.Clear();
        h.Submit(submit, source: 9); // a copy from elsewhere: answered, but only to where the entry came from
        Assert.All(h.Sent, s => Assert.Equal(5UL, s.Destination));
        Assert.Equal(DecodeError.None, ResultMessage.TryDecode(h.Sent[1].Datagram, out var inLog));
        Assert.Equal((ResultStatus.InLog, 1000UL), (inLog.Status, inLog.Value));
        Assert.Equal(DecodeError.None, ProofMessage.TryDecode(h.Sent[0].Datagram, out var proof));
        Assert.Equal((1UL, 0u, 1u), (proof.Sequence, proof.Index, proof.Count));
        Assert.Equal(3, h[BrokerCounter.RetransmissionsAnswered]);
        Assert.Equal(0, h[BrokerCounter.DroppedReplayedSequence]);

        h.Sent.Clear();
        h.Submit(Wire.Submit(c.Id.Value, 0), source: 5); // below the watermark and in no batch: a replay
        h.Submit(Wire.Submit(c.Id.Value, 1), source: 5); // the batched sequence with other content: a replay too
        Assert.Equal(2, h[BrokerCounter.DroppedReplayedSequence]);
        Assert.Equal(2, h.Sent.Count);
        Assert.All(h.Sent, s =>
        {
            Assert.Equal(DecodeError.None, RejectMessage.TryDecode(s.Datagram, out var reject));
            Assert.Equal(RejectReason.ReplayedSequence, reject.Reason);
        });
    }
}
