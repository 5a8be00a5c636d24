namespace Stele.Broker.Protocol;

/// <summary>RESULT (broker → client): what became of the client's entries in one batch. <c>client:u64 batch:u64 root:32 status:u8 value:u64</c>.</summary>
public readonly ref struct ResultMessage
{
    public const int Length = WireFormat.HeaderLength + 8 + 8 + WireFormat.HashLength + 1 + 8;

    public ulong Client { get; init; }
    public ulong Batch { get; init; }
    public ReadOnlySpan<byte> Root { get; init; }
    public ResultStatus Status { get; init; }
    public ulong Value { get; init; }

    public static DecodeError TryDecode(ReadOnlySpan<byte> datagram, out ResultMessage message)
    {
        message = default;
        var error = Datagram.TryReadType(datagram, out var type);
        if (error != DecodeError.None) return error;
        if (type != MessageType.Result) return DecodeError.Malformed;
        if (datagram.Length < Length) return DecodeError.Truncated;
        if (datagram.Length > Length) return DecodeError.Oversized;
        var reader = new WireReader(datagram[WireFormat.HeaderLength..]);
        var client = reader.U64();
        var batch = reader.U64();
        var root = reader.Bytes(WireFormat.HashLength);
        var status = (ResultStatus)reader.U8();
        if (!Enum.IsDefined(status)) return DecodeError.Malformed;
        message = new ResultMessage { Client = client, Batch = batch, Root = root, Status = status, Value = reader.U64() };
        return DecodeError.None;
    }

    public int EncodeTo(Span<byte> destination)
    {
        var writer = new WireWriter(destination);
        writer.Header(MessageType.Result);
        writer.U64(Client);
        writer.U64(Batch);
        writer.Bytes(Root);
        writer.U8((byte)Status);
        writer.U64(Value);
        return writer.Length;
    }
}
