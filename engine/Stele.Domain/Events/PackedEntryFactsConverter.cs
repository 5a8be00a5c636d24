using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stele.Domain.Events;

/// <summary>
/// The entries of a distilled batch (up to 65,536) as ONE base64 string in the event's JSON instead of
/// one object per entry: PostgreSQL parses and stores a long string several times faster than tens of
/// thousands of small jsonb objects (docs/events.md, "Packed entries"). Bytes:
/// <c>version:u8 (=1) n:u32 media_count:u8 media_count × lp8(media_type)
/// n × (client:u64 sequence:u64 commitment:32 size:u64 media_index:u8)</c>, big-endian.
/// Reading also accepts the original JSON array of entry objects, so earlier events still fold; entries
/// the packed form cannot hold (no 32-byte commitment, non-ASCII media type) are written as that array.
/// </summary>
public sealed class PackedEntryFactsConverter : JsonConverter<EntryFacts[]>
{
    public const byte Version = 1;
    private const int EntryLength = 8 + 8 + 32 + 8 + 1;
    private const int CommitmentLength = 32;

    public override EntryFacts[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.StartArray => ReadArray(ref reader, options),
            JsonTokenType.String => Unpack(reader.GetBytesFromBase64()),
            _ => throw new JsonException($"entries: expected a packed base64 string or an array, not {reader.TokenType}"),
        };
    }

    private static EntryFacts[] ReadArray(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var entries = new List<EntryFacts>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            entries.Add(JsonSerializer.Deserialize<EntryFacts>(ref reader, options) ?? throw new JsonException("entries: a null entry"));
        return [.. entries];
    }

    /// <summary>Packed when every entry fits the packed form; otherwise (a malformed event the fold will refuse) the plain array.</summary>
    public override void Write(Utf8JsonWriter writer, EntryFacts[] value, JsonSerializerOptions options)
    {
        if (TryPack(value) is { } packed) writer.WriteBase64StringValue(packed);
        else JsonSerializer.Serialize(writer, value, options);
    }

    public static byte[]? TryPack(EntryFacts[] entries)
    {
        var media = new List<string>();
        var mediaIndex = new byte[entries.Length];
        var mediaBytes = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            if (e?.Commitment is not { Length: CommitmentLength } || e.MediaType is null) return null;
            var at = media.IndexOf(e.MediaType);
            if (at < 0)
            {
                if (media.Count == byte.MaxValue || e.MediaType.Length > byte.MaxValue || !System.Text.Ascii.IsValid(e.MediaType)) return null;
                at = media.Count;
                media.Add(e.MediaType);
                mediaBytes += 1 + e.MediaType.Length;
            }
            mediaIndex[i] = (byte)at;
        }
        var bytes = new byte[1 + 4 + 1 + mediaBytes + entries.Length * EntryLength];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)entries.Length);
        span[5] = (byte)media.Count;
        var p = 6;
        foreach (var m in media)
        {
            span[p++] = (byte)m.Length;
            p += System.Text.Encoding.ASCII.GetBytes(m, span[p..]);
        }
        for (var i = 0; i < entries.Length; i++, p += EntryLength)
        {
            var e = entries[i];
            BinaryPrimitives.WriteUInt64BigEndian(span[p..], e.Client);
            BinaryPrimitives.WriteUInt64BigEndian(span[(p + 8)..], e.Sequence);
            e.Commitment.CopyTo(span[(p + 16)..]);
            BinaryPrimitives.WriteUInt64BigEndian(span[(p + 48)..], e.Size);
            span[p + 56] = mediaIndex[i];
        }
        return bytes;
    }

    public static EntryFacts[] Unpack(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6 || bytes[0] != Version) throw new JsonException($"entries: packed version {(bytes.IsEmpty ? "missing" : bytes[0])}, expected {Version}");
        var count = BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]);
        var media = new string[bytes[5]];
        var p = 6;
        for (var m = 0; m < media.Length; m++)
        {
            if (p >= bytes.Length || p + 1 + bytes[p] > bytes.Length) throw new JsonException($"entries: media type {m} is truncated");
            media[m] = System.Text.Encoding.ASCII.GetString(bytes.Slice(p + 1, bytes[p]));
            p += 1 + bytes[p];
        }
        if ((ulong)(bytes.Length - p) != count * (ulong)EntryLength)
            throw new JsonException($"entries: {bytes.Length - p} bytes of entries, expected {count} × {EntryLength}");
        var entries = new EntryFacts[count];
        for (var i = 0; i < entries.Length; i++, p += EntryLength)
        {
            var index = bytes[p + 56];
            if (index >= media.Length) throw new JsonException($"entries: entry {i} names media type {index} of {media.Length}");
            entries[i] = new EntryFacts(
                BinaryPrimitives.ReadUInt64BigEndian(bytes[p..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[(p + 8)..]),
                bytes.Slice(p + 16, CommitmentLength).ToArray(),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[(p + 48)..]),
                media[index]);
        }
        return entries;
    }
}
