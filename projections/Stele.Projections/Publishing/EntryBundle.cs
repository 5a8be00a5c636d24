using System.Buffers.Binary;

namespace Stele.Projections.Publishing;

/// <summary>C2SP tlog-tiles entry bundles: each entry is a big-endian u16 length then its bytes.</summary>
public static class EntryBundle
{
    public static byte[] Encode(IReadOnlyList<byte[]> entries)
    {
        var length = 0;
        foreach (var entry in entries) length += 2 + entry.Length;
        var bundle = new byte[length];
        var offset = 0;
        foreach (var entry in entries)
        {
            if (entry.Length > ushort.MaxValue) throw new ArgumentException("an entry bundle entry is at most 65535 bytes", nameof(entries));
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(offset), (ushort)entry.Length);
            entry.CopyTo(bundle, offset + 2);
            offset += 2 + entry.Length;
        }
        return bundle;
    }

    public static List<byte[]> Decode(ReadOnlySpan<byte> bundle)
    {
        var entries = new List<byte[]>();
        while (!bundle.IsEmpty)
        {
            if (bundle.Length < 2) throw new InvalidDataException("entry bundle: truncated length prefix");
            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle);
            if (bundle.Length < 2 + length) throw new InvalidDataException("entry bundle: truncated entry");
            entries.Add(bundle.Slice(2, length).ToArray());
            bundle = bundle[(2 + length)..];
        }
        return entries;
    }
}
