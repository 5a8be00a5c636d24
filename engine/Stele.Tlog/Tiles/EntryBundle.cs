using System.Buffers.Binary;

namespace Stele.Tlog.Tiles;

/// <summary>C2SP tlog-tiles entry bundles: each entry is a big-endian u16 length, then that many bytes.</summary>
public static class EntryBundle
{
    public static byte[] Encode(IReadOnlyList<byte[]> entries)
    {
        var length = 0;
        foreach (var entry in entries)
        {
            if (entry.Length > ushort.MaxValue) throw new ArgumentException("an entry bundle entry is at most 65535 bytes", nameof(entries));
            length += 2 + entry.Length;
        }
        var bundle = new byte[length];
        var offset = 0;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(offset), (ushort)entry.Length);
            entry.CopyTo(bundle, offset + 2);
            offset += 2 + entry.Length;
        }
        return bundle;
    }

    /// <summary>Every entry of a bundle, copied out; a truncated bundle throws <see cref="InvalidDataException"/>.</summary>
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

    /// <summary>
    /// Splits a bundle into exactly <paramref name="expected"/> entries (offset, length) without copying;
    /// an empty array and a reason when it holds fewer, more, or truncated entries.
    /// </summary>
    public static (int Offset, int Length)[] Split(ReadOnlySpan<byte> bundle, int expected, out string? problem)
    {
        var entries = new (int Offset, int Length)[expected];
        var position = 0;
        for (var i = 0; i < expected; i++)
        {
            if (bundle.Length - position < 2)
            {
                problem = $"the bundle ends after {i} of {expected} entries";
                return [];
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle[position..]);
            position += 2;
            if (bundle.Length - position < length)
            {
                problem = $"entry {i} claims {length} bytes but the bundle ends first";
                return [];
            }
            entries[i] = (position, length);
            position += length;
        }
        problem = position == bundle.Length ? null : $"{bundle.Length - position} bytes follow the {expected} entries the checkpoint covers";
        return problem is null ? entries : [];
    }
}
