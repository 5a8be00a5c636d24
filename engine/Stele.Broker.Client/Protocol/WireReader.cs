using System.Buffers.Binary;

namespace Stele.Broker.Protocol;

/// <summary>Forward-only big-endian reader over one datagram; every read is bounds-checked and records truncation instead of throwing.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> data)
{
    // Returned (as zeros) once the datagram has run out, so a decoder can finish and check Truncated once.
    private static readonly byte[] s_zeros = new byte[WireFormat.MaxDatagram];
    private readonly ReadOnlySpan<byte> _data = data;
    private int _offset;

    public bool Truncated { get; private set; }

    public readonly int Remaining => _data.Length - _offset;

    public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Bytes(8));

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

    public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

    public byte U8() => Bytes(1)[0];

    public ReadOnlySpan<byte> Bytes(int length)
    {
        if (!Truncated && length <= _data.Length - _offset)
        {
            var slice = _data.Slice(_offset, length);
            _offset += length;
            return slice;
        }
        Truncated = true;
        return s_zeros.AsSpan(0, length);
    }
}
