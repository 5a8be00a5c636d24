namespace Stele.Broker.Batching;

/// <summary>Collecting → proposed → (distilling) → writing; a batch whose shares leave entries uncovered goes back to proposed with a new root.</summary>
public enum BatchState
{
    Free,
    Collecting,
    Proposed,
    Distilling,
    /// <summary>Distilled, waiting for every earlier batch to be written first.</summary>
    Distilled,
    Writing,
}
