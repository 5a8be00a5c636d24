using Stele.Domain.Content;
using Stele.Domain.Encoding;
using Stele.Tlog.Tiles;

namespace Stele.Domain.Payloads;

/// <summary>
/// The openings of up to 256 consecutive leaves: the only published files that change (they grow,
/// and an erasure turns a slot into a tombstone).
/// </summary>
public sealed record PayloadFile(ulong FirstLeaf, IReadOnlyList<PayloadSlot> Slots)
{
    public const int LeavesPerFile = 256;
    private static readonly byte[] Magic = "stele-payload/v1\n"u8.ToArray();

    /// <summary>Object key of the payload file that holds <paramref name="leafIndex"/> (tlog-tiles path groups).</summary>
    public static string KeyFor(ulong leafIndex) => "payload/" + TilePath.FormatIndex(leafIndex / LeavesPerFile);

    public byte[] ToBytes()
    {
        if (FirstLeaf % LeavesPerFile != 0) throw new InvalidOperationException($"A payload file starts at a multiple of {LeavesPerFile}, not {FirstLeaf}.");
        if (Slots.Count is 0 or > LeavesPerFile) throw new InvalidOperationException($"A payload file holds 1 to {LeavesPerFile} slots, not {Slots.Count}.");
        var writer = new FormatWriter(1024).Bytes(Magic).U64(FirstLeaf).U16((ushort)Slots.Count);
        foreach (var slot in Slots)
        {
            writer.U8(slot.Tag);
            switch (slot)
            {
                case InlinePayload inline:
                    if (inline.Content.Length > PayloadSlot.InlineLimit) throw new InvalidOperationException("Inline content exceeds the inline limit.");
                    writer.Bytes(inline.Salt.AsSpan()).U32((uint)inline.Content.Length).Bytes(inline.Content.Span);
                    break;
                case BlobPayload blob:
                    writer.Bytes(blob.Salt.AsSpan()).U64(blob.Size);
                    break;
                case Tombstone tombstone:
                    writer.U64(tombstone.NoticeLeaf);
                    break;
            }
        }
        return writer.ToArray();
    }

    public static PayloadFile Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new FormatReader(bytes, "payload file");
        reader.Expect(Magic, "magic");
        var first = reader.U64("first leaf");
        if (first % LeavesPerFile != 0) throw new LogFormatException($"payload file: first leaf {first} is not a multiple of {LeavesPerFile}");
        var count = reader.U16("count");
        if (count is 0 or > LeavesPerFile) throw new LogFormatException($"payload file: {count} slots (1 to {LeavesPerFile} allowed)");
        var slots = new PayloadSlot[count];
        for (var i = 0; i < count; i++)
        {
            var tag = reader.U8("slot tag");
            slots[i] = tag switch
            {
                0 => NoPayload.Instance,
                1 => ReadInline(ref reader),
                2 => new BlobPayload(Salt.FromBytes(reader.Bytes(Salt.Length, "salt")), reader.U64("blob size")),
                3 => new Tombstone(reader.U64("notice leaf")),
                _ => throw new LogFormatException($"payload file: unknown slot tag {tag} at slot {i}"),
            };
        }
        reader.End();
        return new PayloadFile(first, slots);
    }

    private static InlinePayload ReadInline(ref FormatReader reader)
    {
        var salt = Salt.FromBytes(reader.Bytes(Salt.Length, "salt"));
        var length = reader.U32("inline length");
        if (length > PayloadSlot.InlineLimit) throw new LogFormatException($"payload file: inline content of {length} bytes exceeds {PayloadSlot.InlineLimit}");
        return new InlinePayload(salt, reader.Bytes((int)length, "inline content").ToArray());
    }
}
