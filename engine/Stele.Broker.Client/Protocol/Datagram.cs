namespace Stele.Broker.Protocol;

/// <summary>Reads the common header: which message a datagram claims to be, or why it is not one.</summary>
public static class Datagram
{
    public static DecodeError TryReadType(ReadOnlySpan<byte> datagram, out MessageType type)
    {
        type = default;
        if (datagram.Length > WireFormat.MaxDatagram) return DecodeError.Oversized;
        if (datagram.Length < WireFormat.HeaderLength) return DecodeError.Truncated;
        if (datagram[0] != WireFormat.Version) return DecodeError.UnsupportedVersion;
        type = (MessageType)datagram[1];
        return Enum.IsDefined(type) ? DecodeError.None : DecodeError.Malformed;
    }
}
