namespace Stele.Reader.Verification;

/// <summary>How much to verify and how hard to push.</summary>
public sealed record VerifyOptions
{
    /// <summary>An older checkpoint (signed note bytes) the new one must be consistent with.</summary>
    public ReadOnlyMemory<byte>? SinceCheckpoint { get; init; }

    /// <summary>Check blobs by streaming them through BLAKE3 (default on).</summary>
    public bool CheckBlobs { get; init; } = true;

    /// <summary>Tiles fetched ahead of the one being checked (hides S3/HTTP latency).</summary>
    public int Prefetch { get; init; } = 16;

    /// <summary>Keep a SHA-256 of every file read (the mirror compares copies with it); off for a plain verify.</summary>
    internal bool RecordFileDigests { get; init; }

    /// <summary>Threads for signature checks (default: every core).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public static VerifyOptions Default { get; } = new();
}

/// <summary>Progress of a verification: leaves checked so far out of the checkpoint's size.</summary>
public readonly record struct VerifyProgress(ulong LeavesDone, ulong TreeSize, long BlobBytes);
