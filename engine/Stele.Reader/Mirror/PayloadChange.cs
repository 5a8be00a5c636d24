using Stele.Domain;
using Stele.Domain.Payloads;

namespace Stele.Reader.Mirror;

/// <summary>
/// The one way a payload file may change under a mirror: it grows (new slots after the old ones) and an
/// entry's opening may become a tombstone. Anything else (new content, a new salt, a tombstone undone)
/// means the source rewrote history.
/// </summary>
internal static class PayloadChange
{
    /// <summary>Null when <paramref name="incoming"/> may replace <paramref name="local"/>, else the problem in words.</summary>
    public static string? Check(ReadOnlySpan<byte> local, PayloadFile incoming)
    {
        PayloadFile old;
        try
        {
            old = PayloadFile.Parse(local);
        }
        catch (LogFormatException e)
        {
            return $"the mirror's own copy is damaged ({e.Message}); delete it and mirror again";
        }
        if (old.FirstLeaf != incoming.FirstLeaf) return $"the mirror's copy starts at leaf {old.FirstLeaf}, the source's at {incoming.FirstLeaf}";
        var shared = Math.Min(old.Slots.Count, incoming.Slots.Count);
        for (var i = 0; i < shared; i++)
        {
            var leaf = old.FirstLeaf + (ulong)i;
            var (before, after) = (old.Slots[i], incoming.Slots[i]);
            if (Same(before, after)) continue;
            if (after is Tombstone && before is InlinePayload or BlobPayload) continue; // an erasure, verified with the source
            return $"leaf {leaf}: the payload slot changed from {Describe(before)} to {Describe(after)}, which only an erasure may do (opening → tombstone)";
        }
        return null;
    }

    private static bool Same(PayloadSlot a, PayloadSlot b) => (a, b) switch
    {
        (NoPayload, NoPayload) => true,
        (InlinePayload x, InlinePayload y) => x.Salt.AsSpan().SequenceEqual(y.Salt.AsSpan()) && x.Content.Span.SequenceEqual(y.Content.Span),
        (BlobPayload x, BlobPayload y) => x.Size == y.Size && x.Salt.AsSpan().SequenceEqual(y.Salt.AsSpan()),
        (Tombstone x, Tombstone y) => x.NoticeLeaf == y.NoticeLeaf,
        _ => false,
    };

    private static string Describe(PayloadSlot slot) => slot switch
    {
        NoPayload => "no content",
        InlinePayload => "an inline opening",
        BlobPayload => "a blob opening",
        Tombstone t => $"a tombstone (notice at leaf {t.NoticeLeaf})",
        _ => "an unknown slot",
    };
}
