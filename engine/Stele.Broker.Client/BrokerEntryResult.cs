namespace Stele.Broker;

/// <summary>What became of one entry sent through a broker: its leaf index, or why it is not in the log.</summary>
public sealed record BrokerEntryResult(ulong Sequence, ulong? LeafIndex, string? Rejection)
{
    public bool Accepted => LeafIndex is not null;
}
