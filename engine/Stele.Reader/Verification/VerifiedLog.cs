using Stele.Tlog;

namespace Stele.Reader.Verification;

/// <summary>
/// What a completed verification established. Only <see cref="LogVerifier"/> creates one, and only after
/// every check passed against a trusted key.
/// </summary>
public sealed class VerifiedLog
{
    internal VerifiedLog() { }

    public required string Origin { get; init; }
    public required TreeSize Size { get; init; }
    public required Hash Root { get; init; }

    /// <summary>The checkpoint exactly as verified (signed note bytes).</summary>
    public required ReadOnlyMemory<byte> Checkpoint { get; init; }

    public long Registrations { get; init; }
    public long Entries { get; init; }
    public long BatchedEntries { get; init; }
    public long Batches { get; init; }
    public long DistilledBatches { get; init; }
    public long Redactions { get; init; }
    public long Blobs { get; init; }
    public long BlobBytes { get; init; }

    /// <summary>Erased leaves in leaf order, each with its public redaction notice (reason, basis, time).</summary>
    public required IReadOnlyList<ErasedLeaf> Erased { get; init; }

    /// <summary>Size of the older checkpoint proved consistent with this one, when one was given.</summary>
    public TreeSize? ConsistentSince { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>Every published file the verification read, with the SHA-256 of the bytes it checked (only when mirroring).</summary>
    internal IReadOnlyDictionary<string, byte[]> FileDigests { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Blob keys with the salt, size and commitment that open them.</summary>
    internal IReadOnlyList<BlobReference> BlobReferences { get; init; } = [];

    /// <summary>Blob keys of erased entries (the mirror removes its copies).</summary>
    internal IReadOnlyList<string> ErasedBlobKeys { get; init; } = [];

    /// <summary>The last payload file as verified: the one a live log keeps growing while a mirror copies.</summary>
    internal (string Key, byte[] Bytes)? LastPayloadFile { get; init; }
}

internal sealed record BlobReference(string Key, Domain.Content.Salt Salt, ulong Size, Domain.Content.Commitment Commitment);
