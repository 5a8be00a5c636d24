namespace Stele.Broker.Protocol;

/// <summary>
/// SHARE (client → broker): the client's BLS signature over the batch's <c>distilled</c> signing
/// message. <c>client:u64 batch:u64 root:32 signature:96|192</c> — the length tells compressed from
/// uncompressed. Uncompressed is preferred: the broker then needs no square root per share.
/// </summary>
public readonly ref struct ShareMessage
{
    public const int FixedLength = WireFormat.HeaderLength + 8 + 8 + WireFormat.HashLength;

    public ulong Client { get; init; }
    public ulong Batch { get; init; }
    public ReadOnlySpan<byte> Root { get; init; }
    public ReadOnlySpan<byte> Signature { get; init; }

    public static DecodeError TryDecode(ReadOnlySpan<byte> datagram, out ShareMessage message)
    {
        message = default;
        var error = Datagram.TryReadType(datagram, out var type);
        if (error != DecodeError.None) return error;
        if (type != MessageType.Share) return DecodeError.Malformed;
        var signatureLength = datagram.Length - FixedLength;
        if (signatureLength < WireFormat.CompressedShareLength) return DecodeError.Truncated;
        if (signatureLength > WireFormat.UncompressedShareLength) return DecodeError.Oversized;
        if (signatureLength is not (WireFormat.CompressedShareLength or WireFormat.UncompressedShareLength)) return DecodeError.Malformed;
        var reader = new WireReader(datagram[WireFormat.HeaderLength..]);
        message = new ShareMessage { Client = reader.U64(), Batch = reader.U64(), Root = reader.Bytes(WireFormat.HashLength), Signature = reader.Bytes(signatureLength) };
        return DecodeError.None;
    }

    public int EncodeTo(Span<byte> destination)
    {
        if (Signature.Length is not (WireFormat.CompressedShareLength or WireFormat.UncompressedShareLength))
            throw new ArgumentException("a BLS share is 96 (compressed) or 192 (uncompressed) bytes");
        var writer = new WireWriter(destination);
        writer.Header(MessageType.Share);
        writer.U64(Client);
        writer.U64(Batch);
        writer.Bytes(Root);
        writer.Bytes(Signature);
        return writer.Length;
    }
}
