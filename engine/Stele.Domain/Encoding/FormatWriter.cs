using System.Buffers;
using System.Buffers.Binary;

namespace Stele.Domain.Encoding;

/// <summary>Writes big-endian binary formats into a growable buffer.</summary>
public sealed class FormatWriter(int initialCapacity = 256)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(initialCapacity);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public int Length => _buffer.WrittenCount;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void Clear() => _buffer.ResetWrittenCount();

    public FormatWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public FormatWriter Hash(in Stele.Crypto.Blake3.Blake3Hash hash)
    {
        hash.CopyTo(_buffer.GetSpan(Stele.Crypto.Blake3.Blake3Hash.Length));
        _buffer.Advance(Stele.Crypto.Blake3.Blake3Hash.Length);
        return this;
    }

    public FormatWriter U8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public FormatWriter U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public FormatWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public FormatWriter U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public FormatWriter Utf8WithU16Length(string text, string field)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Length > ushort.MaxValue)
            throw new ArgumentException($"{field} is {bytes.Length} bytes of UTF-8; at most {ushort.MaxValue} fit.", field);
        return U16((ushort)bytes.Length).Bytes(bytes);
    }
}
