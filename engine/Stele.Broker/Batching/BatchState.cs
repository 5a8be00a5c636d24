namespace Stele.Broker.Batching;

/// <summary>Collecting → sealed → proposed → (distilling) → writing; a batch whose shares leave entries uncovered goes back to proposed with a new root.</summary>
public enum BatchState
{
    Free,
    Collecting,
    /// <summary>Closed; the proposer thread is sorting it, building its tree and sending its proofs. The worker leaves it alone.</summary>
    Sealed,
    Proposed,
    Distilling,
    /// <summary>Distilled, waiting for every earlier batch to be written first.</summary>
    Distilled,
    Writing,
    /// <summary>In the stream; kept a while so a retransmitted submission gets its proof and result again.</summary>
    Committed,
    /// <summary>Given up (no round covered it, or the write failed); kept a while like a committed batch.</summary>
    Failed,
}
