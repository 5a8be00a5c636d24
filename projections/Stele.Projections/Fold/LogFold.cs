using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Domain.Signing;

namespace Stele.Projections.Fold;

/// <summary>
/// The fold (docs/events.md): pure and deterministic. Given the state, a run of events in stream
/// order and the openings they name, it assigns leaf indices and decides, per event, the new leaves
/// or the precise reason for refusing it. Ed25519 signatures of the whole run are checked first, in
/// parallel; everything else runs in order. It mutates <see cref="FoldState"/>: on a failed publication
/// the caller discards the state and reloads it.
/// </summary>
public sealed partial class LogFold(LogOrigin origin)
{
    public LogOrigin Origin { get; } = origin;

    /// <param name="earlierLeaves">Records of leaves before this run that its redactions target (see <see cref="ILeafRecords"/>).</param>
    public FoldResult Apply(FoldState state, IReadOnlyList<FoldInput> events, IOpeningLookup openings, ILeafRecords? earlierLeaves = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(openings);
        var result = new FoldResult { FirstLeaf = state.TreeSize, TreeSize = state.TreeSize };
        var signatures = new Ed25519BatchCheck();
        var parsed = new object?[events.Count];
        var pendingKeys = new Dictionary<ClientId, Ed25519PublicKey>();
        var canonical = CanonicalForms(events);
        for (var i = 0; i < events.Count; i++) parsed[i] = Prepare(state, events[i].Event, canonical[i], signatures, pendingKeys);
        signatures.Run();

        var context = new Context(state, openings, signatures, result, earlierLeaves ?? LeafRecordTable.Empty);
        for (var i = 0; i < events.Count; i++)
        {
            var (position, data) = events[i];
            if (position <= result.LastPosition) throw new ArgumentException("events must be in increasing position order", nameof(events));
            result.LastPosition = position;
            switch (data)
            {
                case ClientRegistered registered: FoldRegistration(context, position, registered); break;
                case EntrySubmitted entry: FoldEntry(context, position, entry, (PreparedEntry)parsed[i]!); break;
                case BatchSubmitted batch: FoldBatch(context, position, batch, (PreparedBatch)parsed[i]!); break;
                case BatchDistilled distilled: FoldDistilled(context, position, distilled, (PreparedDistilled)parsed[i]!); break;
                case EntryRedacted redacted: FoldRedaction(context, position, redacted); break;
                default: result.Rejections.Add(new EventRejection(position, $"unknown event type {data?.GetType().Name ?? "null"}")); break;
            }
        }
        result.TreeSize = state.TreeSize;
        return result;
    }

    private sealed record Context(FoldState State, IOpeningLookup Openings, Ed25519BatchCheck Signatures, FoldResult Result, ILeafRecords EarlierLeaves)
    {
        public void Deconstruct(out FoldState state, out IOpeningLookup openings, out Ed25519BatchCheck signatures, out FoldResult result)
        {
            state = State;
            openings = Openings;
            signatures = Signatures;
            result = Result;
        }
    }

    // ---- registrations ------------------------------------------------------------------------

    private void FoldRegistration(Context context, long position, ClientRegistered e)
    {
        var (state, _, _, result) = context;
        try
        {
            var ed = ParseEd25519Key(e.Ed25519PublicKey);
            if (e.BlsPublicKey is null) throw new FoldRejected("the BLS public key is missing");
            if (!BlsPublicKey.TryFromBytes(e.BlsPublicKey, out var bls, out var blsError))
                throw new FoldRejected($"invalid BLS public key ({blsError})");
            BlsProofOfPossession pop;
            try
            {
                pop = BlsProofOfPossession.FromBytes(e.BlsProofOfPossession ?? []);
            }
            catch (Exception ex) when (ex is BlsFormatException or ArgumentException)
            {
                throw new FoldRejected($"invalid BLS proof of possession: {ex.Message}");
            }
            var selfSignature = ParseSignature(e.SelfSignature, "self-signature");
            var id = ClientId.FromKeys(ed, bls);
            if (id.Value != e.Client) throw new FoldRejected($"client id {new ClientId(e.Client)} does not match its keys (they give {id})");
            if (state.TryGetClient(id, out _)) throw new FoldRejected($"client {id} is already registered");
            if (!ed.Verify(SigningMessages.Registration(Origin, id, ed, bls), selfSignature))
                throw new FoldRejected($"the self-signature of client {id} does not verify");
            if (!Bls.PopVerify(bls, pop, out var proven))
                throw new FoldRejected($"the BLS proof of possession of client {id} does not verify");

            var leaf = state.TreeSize++;
            state.AddClient(new KnownClient(id, ed, bls, pop, leaf, null, proven));
            result.Leaves.Add(new NewLeaf(leaf, position, new RegistrationRecord(id, ed, bls, pop, selfSignature), NoPayload.Instance, null));
            result.Registrations.Add(new Registration(id, ed, bls, pop, leaf, position, e.At));
        }
        catch (FoldRejected rejected)
        {
            result.Rejections.Add(new EventRejection(position, "registration refused: " + rejected.Message));
        }
    }

    // ---- individually signed entries ----------------------------------------------------------

    private sealed record PreparedEntry(EntryDescriptor? Descriptor, Ed25519Signature? Signature, string? Error, int Ticket);

    private void FoldEntry(Context context, long position, EntrySubmitted e, PreparedEntry prepared)
    {
        var (state, openings, signatures, result) = context;
        var facts = e.Entry;
        try
        {
            if (prepared.Error is { } error) throw new FoldRejected(error);
            var descriptor = prepared.Descriptor!;
            if (!state.TryGetClient(descriptor.Client, out var client)) throw new FoldRejected($"unknown client {descriptor.Client}");
            var valid = signatures.IsValid(prepared.Ticket, client.Ed25519)
                ?? client.Ed25519.Verify(SigningMessages.Entry(Origin, descriptor), prepared.Signature!);
            if (!valid) throw new FoldRejected($"the Ed25519 signature of client {descriptor.Client} over entry {descriptor.Sequence} does not verify");
            if (!client.IsFresh(descriptor.Sequence))
                throw new FoldRejected($"replayed sequence number {descriptor.Sequence} of client {descriptor.Client} (last accepted {client.LastSequence})");
            var (slot, blob) = PayloadFor(state, openings, descriptor, state.TreeSize);

            var leaf = state.TreeSize++;
            client.LastSequence = descriptor.Sequence;
            result.SequenceUpdates[client.Id] = descriptor.Sequence;
            result.Leaves.Add(new NewLeaf(leaf, position, new EntryRecord(descriptor, prepared.Signature!), slot, blob));
            result.Statuses.Add(new EntryStatus(descriptor.Client, descriptor.Sequence, position, leaf, null));
        }
        catch (FoldRejected rejected)
        {
            result.Rejections.Add(new EventRejection(position, rejected.Message));
            if (facts is not null) result.Statuses.Add(new EntryStatus(new ClientId(facts.Client), facts.Sequence, position, null, rejected.Message));
        }
    }

    // ---- the pre-pass: parse, and queue every Ed25519 check of the run ------------------------

    private object? Prepare(FoldState state, object data, CanonicalForm? canonical, Ed25519BatchCheck signatures, Dictionary<ClientId, Ed25519PublicKey> pendingKeys)
    {
        switch (data)
        {
            case ClientRegistered registered:
                if (registered.Ed25519PublicKey is { Length: Ed25519PublicKey.Length })
                    pendingKeys.TryAdd(new ClientId(registered.Client), Ed25519PublicKey.FromBytes(registered.Ed25519PublicKey));
                return null;
            case EntrySubmitted entry:
                try
                {
                    var descriptor = ToDescriptor(entry.Entry);
                    var signature = ParseSignature(entry.Signature, "signature");
                    var ticket = KeyOf(state, pendingKeys, descriptor.Client) is { } key
                        ? signatures.Add(key, SigningMessages.Entry(Origin, descriptor), signature)
                        : -1;
                    return new PreparedEntry(descriptor, signature, null, ticket);
                }
                catch (FoldRejected rejected)
                {
                    return new PreparedEntry(null, null, rejected.Message, -1);
                }
            case BatchSubmitted batch: return PrepareBatch(state, batch, canonical!, signatures, pendingKeys);
            case BatchDistilled distilled: return PrepareDistilled(state, distilled, canonical!, signatures, pendingKeys);
            default: return null;
        }
    }

    private static Ed25519PublicKey? KeyOf(FoldState state, Dictionary<ClientId, Ed25519PublicKey> pendingKeys, ClientId id) =>
        state.TryGetClient(id, out var client) ? client.Ed25519 : pendingKeys.GetValueOrDefault(id);

    // ---- shared checks -----------------------------------------------------------------------

    private static EntryDescriptor ToDescriptor(EntryFacts? facts)
    {
        if (facts is null) throw new FoldRejected("malformed entry: missing");
        if (facts.Commitment is not { Length: Commitment.Length })
            throw new FoldRejected($"malformed entry {facts.Sequence} of client {new ClientId(facts.Client)}: the commitment is not {Commitment.Length} bytes");
        if (!MediaType.IsValid(facts.MediaType))
            throw new FoldRejected($"malformed entry {facts.Sequence} of client {new ClientId(facts.Client)}: invalid media type");
        return new EntryDescriptor(new ClientId(facts.Client), facts.Sequence, Commitment.FromBytes(facts.Commitment), facts.Size, new MediaType(facts.MediaType));
    }

    private static Ed25519PublicKey ParseEd25519Key(byte[]? bytes) =>
        bytes is { Length: Ed25519PublicKey.Length } ? Ed25519PublicKey.FromBytes(bytes)
            : throw new FoldRejected($"the Ed25519 public key is not {Ed25519PublicKey.Length} bytes");

    private static Ed25519Signature ParseSignature(byte[]? bytes, string what) =>
        bytes is { Length: Ed25519Signature.Length } ? Ed25519Signature.FromBytes(bytes)
            : throw new FoldRejected($"the {what} is not {Ed25519Signature.Length} bytes");

    /// <summary>
    /// The payload slot of an entry from its stored opening, which must match the descriptor. An erased
    /// commitment is refused; an entry that a later redaction erases may have lost its opening already
    /// (a replay): it gets a placeholder slot until that redaction's tombstone replaces it.
    /// </summary>
    private static (PayloadSlot Slot, BlobSource? Blob) PayloadFor(FoldState state, IOpeningLookup openings, EntryDescriptor descriptor, ulong leaf)
    {
        if (state.IsErasedCommitment(descriptor.Commitment))
            throw new FoldRejected($"commitment {descriptor.Commitment} belongs to erased content: it cannot be submitted again");
        if (!openings.TryGet(descriptor.Commitment, out var opening))
        {
            if (state.IsErasureAhead(leaf)) return (NoPayload.Instance, null);
            throw new FoldRejected($"no opening is stored for commitment {descriptor.Commitment}");
        }
        if (opening.Size != descriptor.Size)
            throw new FoldRejected($"the stored opening of commitment {descriptor.Commitment} has {opening.Size} bytes, the entry says {descriptor.Size}");
        if (opening.Content is { } content
            && ((ulong)content.Length != descriptor.Size || !Commitment.Compute(opening.Salt, content.Span).Equals(descriptor.Commitment)))
            throw new FoldRejected($"the stored opening does not open commitment {descriptor.Commitment}");
        if (descriptor.Size <= PayloadSlot.InlineLimit)
        {
            return opening.Content is { } inline
                ? (new InlinePayload(opening.Salt, inline), null)
                : throw new FoldRejected($"the stored opening of commitment {descriptor.Commitment} has no content");
        }
        return (new BlobPayload(opening.Salt, descriptor.Size), new BlobSource(descriptor.Commitment, opening));
    }
}
