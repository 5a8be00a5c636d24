namespace Stele.Broker.Protocol;

/// <summary>Encoding into a fresh array, for clients and tests (the broker encodes into pooled slots).</summary>
public static class MessageExtensions
{
    public static byte[] ToArray(this ShareMessage message)
    {
        Span<byte> buffer = stackalloc byte[WireFormat.MaxDatagram];
        return buffer[..message.EncodeTo(buffer)].ToArray();
    }

    public static byte[] ToArray(this SubmitMessage message)
    {
        Span<byte> buffer = stackalloc byte[WireFormat.MaxDatagram];
        return buffer[..message.EncodeTo(buffer)].ToArray();
    }
}
