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

/// <summary>
/// An accepted erasure: <see cref="Target"/>'s slot becomes a tombstone naming <see cref="Notice"/>;
/// the opening of <see cref="Commitment"/> is deleted, with its published blob (content larger than
/// the inline limit) and <see cref="StoredBlobKey"/>, where the API had stored its bytes (null once gone).
/// </summary>
public sealed record Erasure(ulong Target, ulong Notice, Commitment Commitment, ulong Size, long Position, string? StoredBlobKey)
{
    public Tombstone Tombstone => new(Notice);

    /// <summary>Every object key that may hold the content: the published blob and the API's stored copy.</summary>
    public IEnumerable<string> ContentKeys()
    {
        var keys = new List<string>(2);
        if (Size > PayloadSlot.InlineLimit) keys.Add(BlobPayload.KeyFor(Commitment));
        if (StoredBlobKey is { } stored && !keys.Contains(stored)) keys.Add(stored);
        return keys;
    }
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
    public List<Erasure> Erasures { get; } = [];

    /// <summary>Clients whose last accepted sequence moved, with the new value.</summary>
    public Dictionary<ClientId, ulong> SequenceUpdates { get; } = [];

    /// <summary>Tree size before and after.</summary>
    public ulong FirstLeaf { get; init; }
    public ulong TreeSize { get; set; }

    /// <summary>Position of the last event folded (0 when none).</summary>
    public long LastPosition { get; set; }
}
