using System.Buffers.Binary;

namespace Stele.Reader.Verification;

/// <summary>C2SP tlog-tiles entry bundles: each entry is a big-endian u16 length and that many bytes.</summary>
internal static class EntryBundle
{
    /// <summary>Splits a bundle into exactly <paramref name="expected"/> entries (offset, length); null with a reason otherwise.</summary>
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
