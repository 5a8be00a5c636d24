using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Records;
using Stele.Tlog;
using Stele.Tlog.Checkpoints;

namespace Stele.Client;

/// <summary>Where a submitted entry stands on the server.</summary>
public enum EntryState { Pending, Sequenced, Included, Rejected }

/// <summary>An entry's status as reported (unverified) by the server.</summary>
public sealed record EntryStatus(ClientId Client, ulong Sequence, EntryState State, ulong? LeafIndex, string? Reason, Uri StatusUrl);

/// <summary>
/// An entry proven to be in the log: its leaf record is included, at <see cref="LeafIndex"/>, in
/// the tree of <see cref="Checkpoint"/>, which is signed by the trusted log key. Only ever built
/// after the proof verified.
/// </summary>
public sealed record IncludedEntry(LeafIndex LeafIndex, LeafRecord Record, VerifiedCheckpoint Checkpoint, IReadOnlyList<Hash> InclusionProof);

/// <summary>What a submission returned: what was signed, the leaf record the log must contain, the receipt, and the verified inclusion when awaited in time.</summary>
public sealed record SubmissionResult(EntryDescriptor Descriptor, LeafRecord Record, EntryStatus Status, IncludedEntry? Included);

/// <summary>One small entry of a batch.</summary>
public sealed record BatchItem(ReadOnlyMemory<byte> Content, MediaType MediaType);

/// <summary>A posted batch: its root, and per entry (canonical order) the receipt and any verified inclusion.</summary>
public sealed record BatchResult(Stele.Domain.Batches.BatchRoot Root, IReadOnlyList<SubmissionResult> Entries);

/// <summary>
/// How to submit: explicit sequence (else the key's counter), how long to wait for inclusion (null: don't),
/// and where to report progress while a streamed content is hashed and uploaded.
/// </summary>
public sealed record SubmitOptions(ulong? Sequence = null, TimeSpan? WaitForInclusion = null, IProgress<SubmitProgress>? Progress = null);

/// <summary>The two passes over a streamed content: computing the commitment, then sending it.</summary>
public enum SubmitPhase { Hashing, Uploading }

/// <summary>Bytes done in a phase; the total is unknown while a non-seekable stream is first read.</summary>
public sealed record SubmitProgress(SubmitPhase Phase, ulong BytesDone, ulong? TotalBytes);
