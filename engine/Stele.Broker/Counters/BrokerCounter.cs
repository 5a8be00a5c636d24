namespace Stele.Broker.Counters;

/// <summary>
/// Every counter the broker keeps. Values are stable wire ids (the STATS datagram sends them): append,
/// never renumber. <c>Dropped*</c> counters say why something was thrown away (docs/broker.md).
/// </summary>
public enum BrokerCounter : byte
{
    DatagramsReceived = 0,
    SubmitsAccepted = 1,
    SharesAccepted = 2,
    BatchesProposed = 3,
    BatchesDistilled = 4,
    EntriesDistilled = 5,
    StragglersKept = 6,
    DatagramsSent = 7,
    /// <summary>Time spent distilling (aggregation, verification, bisection, stragglers), summed over batches.</summary>
    DistilMilliseconds = 8,
    /// <summary>Time spent writing batches into the stream (event + sequences + openings), summed.</summary>
    WriteMilliseconds = 9,
    /// <summary>Time the worker spent closing batches (sort, tree, proofs out), summed.</summary>
    ProposeMilliseconds = 10,
    /// <summary>Retransmitted submissions of entries already batched, answered with their PROOF (and RESULT or REJECT) again.</summary>
    RetransmissionsAnswered = 11,

    DroppedMalformed = 16,
    DroppedTruncated = 17,
    DroppedOversized = 18,
    DroppedUnsupportedVersion = 19,
    DroppedUnknownClient = 20,
    DroppedReplayedSequence = 21,
    DroppedDuplicate = 22,
    DroppedCommitmentMismatch = 23,
    DroppedRateLimited = 24,
    DroppedOverloaded = 25,
    DroppedReceiveQueueFull = 26,
    DroppedSendQueueFull = 27,
    DroppedBadShare = 28,
    DroppedLateShare = 29,
    DroppedUnexpectedType = 30,
    DroppedNotCovered = 31,
    DroppedBadStragglerSignature = 32,
    BatchesRetried = 33,
    BatchesFailed = 34,
    EntriesFailed = 35,
    DroppedStatsNotLoopback = 36,
    /// <summary>Replies to an IPv6 peer whose slot in the peer table another peer took meanwhile (<c>Io/PeerAddresses</c>).</summary>
    DroppedPeerForgotten = 37,
}
