namespace Stele.Broker.Protocol;

/// <summary>Constants of the broker's UDP protocol, version 1 (docs/broker.md). Integers are big-endian.</summary>
public static class WireFormat
{
    public const byte Version = 1;

    /// <summary>Every datagram starts with version:u8 and type:u8.</summary>
    public const int HeaderLength = 2;

    /// <summary>Largest datagram either side sends or accepts; it fits one Ethernet frame with IPv4/UDP headers.</summary>
    public const int MaxDatagram = 1472;

    /// <summary>Largest inline content of a submission: the broker is for small entries (votes); larger ones go over HTTP.</summary>
    public const int MaxContent = 1024;

    public const int SaltLength = 32;
    public const int HashLength = 32;
    public const int Ed25519SignatureLength = 64;
    public const int CompressedShareLength = 96;
    public const int UncompressedShareLength = 192;

    /// <summary>A batch tree of at most 65,536 leaves has an audit path of at most 16 hashes.</summary>
    public const int MaxProofHashes = 16;
}

/// <summary>The second byte of every datagram.</summary>
public enum MessageType : byte
{
    Submit = 1,
    Proof = 2,
    Share = 3,
    Result = 4,
    Reject = 5,
    StatsRequest = 6,
    Stats = 7,
}

/// <summary>Why a datagram could not be decoded; each maps to one drop counter.</summary>
public enum DecodeError : byte
{
    None = 0,
    /// <summary>Shorter than its fixed fields say.</summary>
    Truncated,
    /// <summary>Longer than the protocol allows (or than the field lengths it declares).</summary>
    Oversized,
    /// <summary>Well-sized but invalid: unknown type, bad media type, bad flags, trailing bytes.</summary>
    Malformed,
    /// <summary>A version this broker does not speak.</summary>
    UnsupportedVersion,
}

/// <summary>Per-entry refusals the broker reports to the submitter (REJECT), so it can stop retransmitting.</summary>
public enum RejectReason : byte
{
    ReplayedSequence = 1,
    DuplicateInBatch = 2,
    CommitmentMismatch = 3,
    Overloaded = 4,
    NotCovered = 5,
    BatchFailed = 6,
}

/// <summary>What a RESULT says about a client's entries in one batch.</summary>
public enum ResultStatus : byte
{
    /// <summary>The batch is in the event stream; value = its stream position.</summary>
    Committed = 1,
    /// <summary>The fold placed the batch; value = its first leaf index (leaf = value + index in batch).</summary>
    InLog = 2,
    /// <summary>The batch was lost (writer failure or refused by the fold); value = reason code.</summary>
    Failed = 3,
}
