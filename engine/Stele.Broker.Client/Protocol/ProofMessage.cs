namespace Stele.Broker.Protocol;

/// <summary>
/// PROOF (broker → client): entry (client, sequence) is leaf <c>index</c> of batch <c>batch</c> with
/// <c>root</c> over <c>count</c> leaves; the client's entries occupy <c>client_first … +client_count</c>
/// (contiguous in canonical order), so a client can tell whether someone slipped extra entries in under
/// its id. <c>batch:u64 root:32 count:u32 index:u32 client:u64 sequence:u64 client_first:u32
/// client_count:u32 path_len:u8 path:32×path_len</c>.
/// </summary>
public readonly ref struct ProofMessage
{
    public const int FixedLength = WireFormat.HeaderLength + 8 + WireFormat.HashLength + 4 + 4 + 8 + 8 + 4 + 4 + 1;

    public ulong Batch { get; init; }
    public ReadOnlySpan<byte> Root { get; init; }
    public uint Count { get; init; }
    public uint Index { get; init; }
    public ulong Client { get; init; }
    public ulong Sequence { get; init; }
    public uint ClientFirst { get; init; }
    public uint ClientCount { get; init; }
    /// <summary>Concatenated 32-byte audit-path hashes, leaf to root.</summary>
    public ReadOnlySpan<byte> Path { get; init; }

    public static DecodeError TryDecode(ReadOnlySpan<byte> datagram, out ProofMessage message)
    {
        message = default;
        var error = Datagram.TryReadType(datagram, out var type);
        if (error != DecodeError.None) return error;
        if (type != MessageType.Proof) return DecodeError.Malformed;
        var reader = new WireReader(datagram[WireFormat.HeaderLength..]);
        var batch = reader.U64();
        var root = reader.Bytes(WireFormat.HashLength);
        var count = reader.U32();
        var index = reader.U32();
        var client = reader.U64();
        var sequence = reader.U64();
        var first = reader.U32();
        var clientCount = reader.U32();
        var pathLength = reader.U8();
        if (pathLength > WireFormat.MaxProofHashes) return DecodeError.Oversized;
        var path = reader.Bytes(pathLength * WireFormat.HashLength);
        if (reader.Truncated) return DecodeError.Truncated;
        if (reader.Remaining != 0 || index >= count || clientCount == 0 || index < first || index - first >= clientCount) return DecodeError.Malformed;
        message = new ProofMessage
        {
            Batch = batch,
            Root = root,
            Count = count,
            Index = index,
            Client = client,
            Sequence = sequence,
            ClientFirst = first,
            ClientCount = clientCount,
            Path = path,
        };
        return DecodeError.None;
    }

    public int EncodeTo(Span<byte> destination)
    {
        var writer = new WireWriter(destination);
        writer.Header(MessageType.Proof);
        writer.U64(Batch);
        writer.Bytes(Root);
        writer.U32(Count);
        writer.U32(Index);
        writer.U64(Client);
        writer.U64(Sequence);
        writer.U32(ClientFirst);
        writer.U32(ClientCount);
        writer.U8((byte)(Path.Length / WireFormat.HashLength));
        writer.Bytes(Path);
        return writer.Length;
    }
}
