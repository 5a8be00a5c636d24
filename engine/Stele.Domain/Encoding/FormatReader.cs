using System.Buffers.Binary;

namespace Stele.Domain.Encoding;

/// <summary>
/// Reads a big-endian binary format strictly: every read is bounds-checked and a short or
/// malformed input becomes a <see cref="LogFormatException"/> naming what was being read.
/// </summary>
public ref struct FormatReader(ReadOnlySpan<byte> input, string format)
{
    private readonly ReadOnlySpan<byte> _input = input;
    private readonly string _format = format;
    private int _offset;

    public readonly int Offset => _offset;

    public readonly int Remaining => _input.Length - _offset;

    public ReadOnlySpan<byte> Bytes(int count, string field)
    {
        if (count < 0 || count > Remaining)
            throw new LogFormatException($"{_format}: truncated at byte {_offset} reading {field} ({count} bytes wanted, {Remaining} left)");
        var slice = _input.Slice(_offset, count);
        _offset += count;
        return slice;
    }

    public byte U8(string field) => Bytes(1, field)[0];

    public ushort U16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2, field));

    public uint U32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4, field));

    public ulong U64(string field) => BinaryPrimitives.ReadUInt64BigEndian(Bytes(8, field));

    public string Utf8WithU16Length(string field)
    {
        var length = U16(field + " length");
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Bytes(length, field));
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new LogFormatException($"{_format}: {field} is not valid UTF-8");
        }
    }

    public void Expect(ReadOnlySpan<byte> magic, string field)
    {
        if (!Bytes(magic.Length, field).SequenceEqual(magic))
            throw new LogFormatException($"{_format}: bad {field}");
    }

    public readonly void End()
    {
        if (Remaining != 0)
            throw new LogFormatException($"{_format}: {Remaining} unexpected trailing bytes at {_offset}");
    }
}
