using System.Runtime.ExceptionServices;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Domain.Signing;

namespace Stele.Projections.Fold;

public sealed partial class LogFold
{
    private sealed record PreparedBatch(EntryDescriptor[] Descriptors, BatchRoot Root, Ed25519Signature? Signature, string? Error, int Ticket);

    private sealed record PreparedStraggler(ClientId Client, ulong Sequence, Ed25519Signature Signature, EntryDescriptor Descriptor, int Ticket);

    private sealed record PreparedDistilled(EntryDescriptor[] Descriptors, BatchRoot Root, PreparedStraggler[] Stragglers, string? Error);

    // ---- one client's batch ------------------------------------------------------------------

    private PreparedBatch PrepareBatch(FoldState state, BatchSubmitted e, CanonicalForm canonical, Ed25519BatchCheck signatures, Dictionary<ClientId, Ed25519PublicKey> pendingKeys)
    {
        try
        {
            var (descriptors, root) = canonical.OrThrow();
            var client = new ClientId(e.Client);
            foreach (var d in descriptors)
                if (d.Client != client) throw new FoldRejected($"entry {d.Sequence} of client {d.Client} is in a batch of client {client}");
            var signature = ParseSignature(e.Signature, "batch signature");
            var ticket = KeyOf(state, pendingKeys, client) is { } key
                ? signatures.Add(key, SigningMessages.Batch(Origin, client, root, descriptors.Length), signature)
                : -1;
            return new PreparedBatch(descriptors, root, signature, null, ticket);
        }
        catch (FoldRejected rejected)
        {
            return new PreparedBatch([], default, null, rejected.Message, -1);
        }
    }

    private void FoldBatch(Context context, long position, BatchSubmitted e, PreparedBatch prepared)
    {
        var (state, openings, signatures, result) = context;
        try
        {
            if (prepared.Error is { } error) throw new FoldRejected(error);
            var id = new ClientId(e.Client);
            if (!state.TryGetClient(id, out var client)) throw new FoldRejected($"unknown client {id}");
            var valid = signatures.IsValid(prepared.Ticket, client.Ed25519)
                ?? client.Ed25519.Verify(SigningMessages.Batch(Origin, id, prepared.Root, prepared.Descriptors.Length), prepared.Signature!);
            if (!valid) throw new FoldRejected($"the Ed25519 signature of client {id} over batch {prepared.Root} does not verify");
            CheckFresh(state, prepared.Descriptors);
            var payloads = prepared.Descriptors.Select((d, i) => PayloadFor(state, openings, d, state.TreeSize + (ulong)i)).ToArray();

            var first = AppendBatch(context, position, prepared.Descriptors, prepared.Root, payloads);
            result.Certificates.Add(new SingleClientBatchCertificate(prepared.Root, first, (uint)prepared.Descriptors.Length, id, prepared.Signature!));
        }
        catch (FoldRejected rejected)
        {
            RejectBatch(result, position, "batch refused: " + rejected.Message, e.Entries);
        }
    }

    // ---- a broker's distilled batch ----------------------------------------------------------

    private PreparedDistilled PrepareDistilled(FoldState state, BatchDistilled e, CanonicalForm canonical, Ed25519BatchCheck signatures, Dictionary<ClientId, Ed25519PublicKey> pendingKeys)
    {
        try
        {
            var (descriptors, root) = canonical.OrThrow();
            var byKey = descriptors.ToDictionary(d => (d.Client, d.Sequence));
            var stragglers = new List<PreparedStraggler>();
            foreach (var s in e.Stragglers ?? [])
            {
                if (s is null) throw new FoldRejected("malformed straggler");
                var client = new ClientId(s.Client);
                if (!byKey.TryGetValue((client, s.Sequence), out var descriptor))
                    throw new FoldRejected($"straggler {client}/{s.Sequence} has no entry in the batch");
                var signature = ParseSignature(s.Signature, "straggler signature");
                var ticket = KeyOf(state, pendingKeys, client) is { } key
                    ? signatures.Add(key, SigningMessages.Entry(Origin, descriptor), signature)
                    : -1;
                stragglers.Add(new PreparedStraggler(client, s.Sequence, signature, descriptor, ticket));
            }
            stragglers.Sort((a, b) => EntryDescriptor.CompareCanonical(a.Descriptor, b.Descriptor));
            for (var i = 1; i < stragglers.Count; i++)
                if (stragglers[i].Descriptor == stragglers[i - 1].Descriptor)
                    throw new FoldRejected($"straggler {stragglers[i].Client}/{stragglers[i].Sequence} appears twice");
            return new PreparedDistilled(descriptors, root, [.. stragglers], null);
        }
        catch (FoldRejected rejected)
        {
            return new PreparedDistilled([], default, [], rejected.Message);
        }
    }

    private void FoldDistilled(Context context, long position, BatchDistilled e, PreparedDistilled prepared)
    {
        var (state, openings, signatures, result) = context;
        try
        {
            if (prepared.Error is { } error) throw new FoldRejected(error);
            var participants = Participants(state, e.Participants, prepared.Descriptors);
            var participantIds = participants.Select(p => p.Id).ToHashSet();
            var stragglers = new HashSet<(ClientId, ulong)>();
            foreach (var s in prepared.Stragglers)
            {
                if (participantIds.Contains(s.Client)) throw new FoldRejected($"straggler {s.Client}/{s.Sequence} is also a participant");
                if (!state.TryGetClient(s.Client, out var client)) throw new FoldRejected($"unknown client {s.Client}");
                var valid = signatures.IsValid(s.Ticket, client.Ed25519) ?? client.Ed25519.Verify(SigningMessages.Entry(Origin, s.Descriptor), s.Signature);
                if (!valid) throw new FoldRejected($"the Ed25519 signature of straggler {s.Client}/{s.Sequence} does not verify");
                stragglers.Add((s.Client, s.Sequence));
            }
            foreach (var d in prepared.Descriptors)
            {
                if (!participantIds.Contains(d.Client) && !stragglers.Contains((d.Client, d.Sequence)))
                    throw new FoldRejected($"entry {d.Client}/{d.Sequence} is covered by neither a participant nor a straggler signature");
            }
            if (e.AggregateSignature is null) throw new FoldRejected("the aggregate BLS signature is missing");
            if (!BlsSignature.TryFromBytes(e.AggregateSignature, out var aggregate, out var blsError))
                throw new FoldRejected($"invalid aggregate BLS signature ({blsError})");
            if (participants.Length == 0)
            {
                // Every entry is a straggler (checked above): nothing to aggregate, so the aggregate must be the identity.
                if (!e.AggregateSignature.AsSpan().SequenceEqual(DistilledBatchCertificate.NoParticipantsAggregate()))
                    throw new FoldRejected("a distilled batch without participants must carry the identity point as its aggregate");
            }
            else
            {
                var keys = participants.Select(p => p.ProvenBls).ToArray();
                if (!Bls.FastAggregateVerify(keys, SigningMessages.Distilled(Origin, prepared.Root, prepared.Descriptors.Length), aggregate))
                    throw new FoldRejected($"the aggregate BLS signature of {participants.Length} participants over batch {prepared.Root} does not verify");
            }
            CheckFresh(state, prepared.Descriptors);
            var payloads = prepared.Descriptors.Select((d, i) => PayloadFor(state, openings, d, state.TreeSize + (ulong)i)).ToArray();

            var first = AppendBatch(context, position, prepared.Descriptors, prepared.Root, payloads);
            result.Certificates.Add(new DistilledBatchCertificate(prepared.Root, first, (uint)prepared.Descriptors.Length,
                participantIds.Order().ToArray(), aggregate, prepared.Stragglers.Select(s => new Straggler(s.Client, s.Sequence, s.Signature)).ToArray()));
        }
        catch (FoldRejected rejected)
        {
            RejectBatch(result, position, "distilled batch refused: " + rejected.Message, e.Entries);
        }
    }

    /// <summary>
    /// Participants: strictly ascending, registered, and each with at least one entry in the batch. None
    /// at all is allowed: then every entry must have a straggler signature (checked by the caller).
    /// </summary>
    private static KnownClient[] Participants(FoldState state, ulong[]? ids, EntryDescriptor[] descriptors)
    {
        if (ids is null) throw new FoldRejected("the participant list is missing");
        var withEntries = descriptors.Select(d => d.Client).ToHashSet();
        var participants = new KnownClient[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = new ClientId(ids[i]);
            if (i > 0 && ids[i - 1] >= ids[i]) throw new FoldRejected("participants are not in strictly ascending order");
            if (!state.TryGetClient(id, out var client)) throw new FoldRejected($"unknown participant {id}");
            if (!withEntries.Contains(id)) throw new FoldRejected($"participant {id} has no entry in the batch");
            participants[i] = client;
        }
        return participants;
    }

    // ---- shared ------------------------------------------------------------------------------

    /// <summary>A batch's canonical descriptors and recomputed root, or the exception that refuses them.</summary>
    private sealed record CanonicalForm(EntryDescriptor[] Descriptors, BatchRoot Root, Exception? Failure)
    {
        public (EntryDescriptor[] Descriptors, BatchRoot Root) OrThrow()
        {
            if (Failure is not null) ExceptionDispatchInfo.Capture(Failure).Throw();
            return (Descriptors, Root);
        }
    }

    /// <summary>
    /// The canonical form of every batch of the run, computed in parallel (the batch-tree hashing is the
    /// bulk of a batch's fold and depends on nothing but the event); null for other events.
    /// </summary>
    private static CanonicalForm?[] CanonicalForms(IReadOnlyList<FoldInput> events)
    {
        var forms = new CanonicalForm?[events.Count];
        var batches = new List<int>();
        for (var i = 0; i < events.Count; i++)
            if (events[i].Event is BatchSubmitted or BatchDistilled) batches.Add(i);
        if (batches.Count > 1) Parallel.ForEach(batches, Compute);
        else foreach (var i in batches) Compute(i);
        return forms;

        void Compute(int i) => forms[i] = events[i].Event switch
        {
            BatchSubmitted b => Canonical(b.Entries, b.Root),
            BatchDistilled d => Canonical(d.Entries, d.Root),
            _ => null,
        };
    }

    private static CanonicalForm Canonical(EntryFacts[]? entries, byte[]? claimedRoot)
    {
        try
        {
            var (descriptors, root) = CanonicalBatch(entries, claimedRoot);
            return new CanonicalForm(descriptors, root, null);
        }
        catch (Exception ex)
        {
            return new CanonicalForm([], default, ex); // rethrown where the sequential fold meets this batch
        }
    }

    /// <summary>Descriptors in canonical order whose recomputed root is the claimed one.</summary>
    private static (EntryDescriptor[] Descriptors, BatchRoot Root) CanonicalBatch(EntryFacts[]? entries, byte[]? claimedRoot)
    {
        if (entries is not { Length: > 0 and <= BatchTree.MaxEntries })
            throw new FoldRejected($"a batch has 1 to {BatchTree.MaxEntries} entries, not {entries?.Length ?? 0}");
        if (claimedRoot is not { Length: BatchRoot.Length }) throw new FoldRejected($"the batch root is not {BatchRoot.Length} bytes");
        var descriptors = entries.Select(ToDescriptor).ToArray();
        for (var i = 1; i < descriptors.Length; i++)
        {
            if (EntryDescriptor.CompareCanonical(descriptors[i - 1], descriptors[i]) >= 0)
                throw new FoldRejected($"batch entries are not in canonical (client, sequence) order at entry {i}");
        }
        var root = BatchTree.Build(descriptors).Root;
        if (!root.Hash.Equals(BatchRoot.FromBytes(claimedRoot).Hash))
            throw new FoldRejected($"the batch root {BatchRoot.FromBytes(claimedRoot)} is not the root of its entries ({root})");
        return (descriptors, root);
    }

    /// <summary>Each client's first sequence in the (canonical) batch must be newer than its last accepted one.</summary>
    private static void CheckFresh(FoldState state, EntryDescriptor[] descriptors)
    {
        for (var i = 0; i < descriptors.Length; i++)
        {
            if (i > 0 && descriptors[i - 1].Client == descriptors[i].Client) continue;
            if (!state.TryGetClient(descriptors[i].Client, out var client)) throw new FoldRejected($"unknown client {descriptors[i].Client}");
            if (!client.IsFresh(descriptors[i].Sequence))
                throw new FoldRejected($"replayed sequence number {descriptors[i].Sequence} of client {client.Id} (last accepted {client.LastSequence})");
        }
    }

    private static ulong AppendBatch(Context context, long position, EntryDescriptor[] descriptors, BatchRoot root, (PayloadSlot Slot, BlobSource? Blob)[] payloads)
    {
        var (state, _, _, result) = context;
        var first = state.TreeSize;
        for (var i = 0; i < descriptors.Length; i++)
        {
            var d = descriptors[i];
            var leaf = state.TreeSize++;
            result.Leaves.Add(new NewLeaf(leaf, position, new BatchedEntryRecord(d, root, (uint)i), payloads[i].Slot, payloads[i].Blob));
            result.Statuses.Add(new EntryStatus(d.Client, d.Sequence, position, leaf, null));
            if (i + 1 == descriptors.Length || descriptors[i + 1].Client != d.Client)
            {
                state.TryGetClient(d.Client, out var client);
                client.LastSequence = d.Sequence;
                result.SequenceUpdates[d.Client] = d.Sequence;
            }
        }
        return first;
    }

    private static void RejectBatch(FoldResult result, long position, string reason, EntryFacts[]? entries)
    {
        result.Rejections.Add(new EventRejection(position, reason));
        foreach (var facts in entries ?? [])
            if (facts is not null) result.Statuses.Add(new EntryStatus(new ClientId(facts.Client), facts.Sequence, position, null, reason));
    }
}
