namespace Stele.Broker.Batching;

/// <summary>What distillation found: the participants whose shares survived, their aggregate, the stragglers kept and the entries nobody covers.</summary>
internal sealed record DistilOutcome(
    int[] ParticipantRanges,
    byte[]? AggregateSignature,
    int[] StragglerEntries,
    int[] UncoveredEntries,
    int BadShares,
    int BadStragglerSignatures)
{
    /// <summary>Every entry is covered: by the aggregate of the participants, or (all of them, when there are none) by straggler signatures.</summary>
    public bool IsComplete => UncoveredEntries.Length == 0 && (AggregateSignature is not null || ParticipantRanges.Length == 0);
}
