namespace Stele.Broker.Protocol;

/// <summary>
/// STATS_REQUEST (anyone on loopback → broker, header only) and STATS (broker → requester):
/// <c>count:u8 (counter:u8 value:u64)×count</c>. Counter ids are <c>BrokerCounter</c> values (docs/broker.md).
/// </summary>
public static class StatsMessage
{
    public const int MaxCounters = 64;

    public static int EncodeRequest(Span<byte> destination)
    {
        var writer = new WireWriter(destination);
        writer.Header(MessageType.StatsRequest);
        return writer.Length;
    }

    public static int Encode(ReadOnlySpan<long> counters, Span<byte> destination)
    {
        var writer = new WireWriter(destination);
        writer.Header(MessageType.Stats);
        var count = Math.Min(counters.Length, MaxCounters);
        writer.U8((byte)count);
        for (var i = 0; i < count; i++)
        {
            writer.U8((byte)i);
            writer.U64((ulong)counters[i]);
        }
        return writer.Length;
    }

    public static DecodeError TryDecode(ReadOnlySpan<byte> datagram, out Dictionary<byte, ulong> counters)
    {
        counters = [];
        var error = Datagram.TryReadType(datagram, out var type);
        if (error != DecodeError.None) return error;
        if (type != MessageType.Stats) return DecodeError.Malformed;
        var reader = new WireReader(datagram[WireFormat.HeaderLength..]);
        var count = reader.U8();
        for (var i = 0; i < count && !reader.Truncated; i++)
        {
            var id = reader.U8();
            counters[id] = reader.U64();
        }
        if (reader.Truncated) return DecodeError.Truncated;
        return reader.Remaining == 0 ? DecodeError.None : DecodeError.Malformed;
    }
}
