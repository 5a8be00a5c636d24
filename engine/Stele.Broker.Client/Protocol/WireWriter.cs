using System.Buffers.Binary;

namespace Stele.Broker.Protocol;

/// <summary>Big-endian writer into a caller's buffer (a pooled send slot); throws if the message does not fit.</summary>
internal ref struct WireWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;

    public int Length { get; private set; }

    public void Header(MessageType type)
    {
        U8(WireFormat.Version);
        U8((byte)type);
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[Length..], value);
        Length += 8;
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Length..], value);
        Length += 4;
    }

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Length..], value);
        Length += 2;
    }

    public void U8(byte value) => _buffer[Length++] = value;

    public void Bytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[Length..]);
        Length += value.Length;
    }
}
