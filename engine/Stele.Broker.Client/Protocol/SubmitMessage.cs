namespace Stele.Broker.Protocol;

/// <summary>
/// SUBMIT (client → broker): one entry with its opening, so the broker can store the content the log
/// publishes. <c>client:u64 sequence:u64 salt:32 commitment:32 lp8(media_type) content_len:u16 content
/// flags:u8 [ed25519_sig:64 if flags bit 0]</c>. The signature, if present, is over the entry's
/// <c>entry</c> signing message and lets the entry survive as a straggler when no BLS share comes.
/// </summary>
public readonly ref struct SubmitMessage
{
    public const byte FlagSigned = 0x01;
    public const int MinLength = WireFormat.HeaderLength + 8 + 8 + WireFormat.SaltLength + WireFormat.HashLength + 1 + 1 + 2 + 1;

    public ulong Client { get; init; }
    public ulong Sequence { get; init; }
    public ReadOnlySpan<byte> Salt { get; init; }
    public ReadOnlySpan<byte> Commitment { get; init; }
    /// <summary>ASCII bytes, validated as a media type (docs/log-format.md).</summary>
    public ReadOnlySpan<byte> MediaType { get; init; }
    public ReadOnlySpan<byte> Content { get; init; }
    /// <summary>Empty when the entry is not individually signed.</summary>
    public ReadOnlySpan<byte> Signature { get; init; }

    public static DecodeError TryDecode(ReadOnlySpan<byte> datagram, out SubmitMessage message)
    {
        message = default;
        var error = Datagram.TryReadType(datagram, out var type);
        if (error != DecodeError.None) return error;
        if (type != MessageType.Submit) return DecodeError.Malformed;
        var reader = new WireReader(datagram[WireFormat.HeaderLength..]);
        var client = reader.U64();
        var sequence = reader.U64();
        var salt = reader.Bytes(WireFormat.SaltLength);
        var commitment = reader.Bytes(WireFormat.HashLength);
        var mediaLength = reader.U8();
        var mediaType = reader.Bytes(mediaLength);
        var contentLength = reader.U16();
        if (contentLength > WireFormat.MaxContent) return DecodeError.Oversized;
        var content = reader.Bytes(contentLength);
        var flags = reader.U8();
        var signature = (flags & FlagSigned) != 0 ? reader.Bytes(WireFormat.Ed25519SignatureLength) : default;
        if (reader.Truncated) return DecodeError.Truncated;
        if (reader.Remaining != 0 || (flags & ~FlagSigned) != 0 || !IsMediaType(mediaType)) return DecodeError.Malformed;
        message = new SubmitMessage
        {
            Client = client,
            Sequence = sequence,
            Salt = salt,
            Commitment = commitment,
            MediaType = mediaType,
            Content = content,
            Signature = signature,
        };
        return DecodeError.None;
    }

    public int EncodeTo(Span<byte> destination)
    {
        if (Salt.Length != WireFormat.SaltLength || Commitment.Length != WireFormat.HashLength)
            throw new ArgumentException("a submission needs a 32-byte salt and a 32-byte commitment");
        if (!IsMediaType(MediaType)) throw new ArgumentException("the media type is not type/subtype in printable ASCII (1 to 127 bytes)");
        if (Content.Length > WireFormat.MaxContent) throw new ArgumentException($"broker submissions carry at most {WireFormat.MaxContent} bytes of content");
        if (!Signature.IsEmpty && Signature.Length != WireFormat.Ed25519SignatureLength) throw new ArgumentException("an Ed25519 signature is 64 bytes");
        var writer = new WireWriter(destination);
        writer.Header(MessageType.Submit);
        writer.U64(Client);
        writer.U64(Sequence);
        writer.Bytes(Salt);
        writer.Bytes(Commitment);
        writer.U8((byte)MediaType.Length);
        writer.Bytes(MediaType);
        writer.U16((ushort)Content.Length);
        writer.Bytes(Content);
        writer.U8(Signature.IsEmpty ? (byte)0 : FlagSigned);
        writer.Bytes(Signature);
        return writer.Length;
    }

    /// <summary>The rule of Stele.Domain's MediaType, on raw bytes (no string on the hot path).</summary>
    public static bool IsMediaType(ReadOnlySpan<byte> value)
    {
        if (value.Length is 0 or > 127) return false;
        var slash = value.IndexOf((byte)'/');
        if (slash <= 0 || slash == value.Length - 1) return false;
        foreach (var c in value)
            if (c < (byte)' ' || c > (byte)'~') return false;
        return true;
    }
}
