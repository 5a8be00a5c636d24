using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;

namespace Stele.Projections.Fold;

/// <summary>A new leaf: its record and its payload slot; <see cref="Blob"/> says where large content comes from.</summary>
public sealed record NewLeaf(ulong Index, long Position, LeafRecord Record, PayloadSlot Payload, BlobSource? Blob)
{
    /// <summary>The record bytes, encoded once.</summary>
    public byte[] RecordBytes { get; } = Record.ToBytes();
}

/// <summary>The content of a blob slot: its commitment (hence its published key) and its opening.</summary>
public sealed record BlobSource(Commitment Commitment, Opening Opening)
{
    public string PublishedKey => BlobPayload.KeyFor(Commitment);
}

/// <summary>What became of one submitted entry: a leaf, or a rejection.</summary>
public sealed record EntryStatus(ClientId Client, ulong Sequence, long Position, ulong? Leaf, string? Rejection);

/// <summary>A refused event and why.</summary>
public sealed record EventRejection(long Position, string Reason);

/// <summary>An accepted registration, for the clients read model.</summary>
public sealed record Registration(
    ClientId Client, Ed25519PublicKey Ed25519, BlsPublicKey Bls, BlsProofOfPossession ProofOfPossession, ulong Leaf, long Position, DateTimeOffset At);

/// <summary>Everything one fold over a run of events decided, in stream order.</summary>
public sealed class FoldResult
{
    public List<NewLeaf> Leaves { get; } = [];
    public List<BatchCertificate> Certificates { get; } = [];
    public List<EntryStatus> Statuses { get; } = [];
    public List<EventRejection> Rejections { get; } = [];
    public List<Registration> Registrations { get; } = [];

    /// <summary>Clients whose last accepted sequence moved, with the new value.</summary>
    public Dictionary<ClientId, ulong> SequenceUpdates { get; } = [];

    /// <summary>Tree size before and after.</summary>
    public ulong FirstLeaf { get; init; }
    public ulong TreeSize { get; set; }

    /// <summary>Position of the last event folded (0 when none).</summary>
    public long LastPosition { get; set; }
}
