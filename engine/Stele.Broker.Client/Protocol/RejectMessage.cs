namespace Stele.Broker.Protocol;

/// <summary>REJECT (broker → client): one entry was refused and will not be in the log. <c>client:u64 sequence:u64 reason:u8</c>.</summary>
public readonly ref struct RejectMessage
{
    public const int Length = WireFormat.HeaderLength + 8 + 8 + 1;

    public ulong Client { get; init; }
    public ulong Sequence { get; init; }
    public RejectReason Reason { get; init; }

    public static DecodeError TryDecode(ReadOnlySpan<byte> datagram, out RejectMessage message)
    {
        message = default;
        var error = Datagram.TryReadType(datagram, out var type);
        if (error != DecodeError.None) return error;
        if (type != MessageType.Reject) return DecodeError.Malformed;
        if (datagram.Length < Length) return DecodeError.Truncated;
        if (datagram.Length > Length) return DecodeError.Oversized;
        var reader = new WireReader(datagram[WireFormat.HeaderLength..]);
        var client = reader.U64();
        var sequence = reader.U64();
        var reason = (RejectReason)reader.U8();
        if (!Enum.IsDefined(reason)) return DecodeError.Malformed;
        message = new RejectMessage { Client = client, Sequence = sequence, Reason = reason };
        return DecodeError.None;
    }

    public int EncodeTo(Span<byte> destination)
    {
        var writer = new WireWriter(destination);
        writer.Header(MessageType.Reject);
        writer.U64(Client);
        writer.U64(Sequence);
        writer.U8((byte)Reason);
        return writer.Length;
    }
}
