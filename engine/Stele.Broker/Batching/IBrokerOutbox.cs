namespace Stele.Broker.Batching;

/// <summary>Where the batch machine puts datagrams: the sender queue in the broker, a list in unit tests.</summary>
internal interface IBrokerOutbox
{
    /// <summary>Queues one datagram; false when the queue is full (the caller counts the drop).</summary>
    bool TrySend(ulong destination, ReadOnlySpan<byte> datagram);
}
