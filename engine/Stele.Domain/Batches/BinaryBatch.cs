using System.Buffers.Binary;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;

namespace Stele.Domain.Batches;

/// <summary>One entry of a binary batch body: its sequence, salt, media type and content (slices of the body, no copy).</summary>
public readonly record struct BinaryBatchEntry(ulong Sequence, ReadOnlyMemory<byte> Salt, MediaType MediaType, ReadOnlyMemory<byte> Content);

/// <summary>A decoded binary batch body: the client, its Ed25519 signature over the batch message, the entries in ascending sequence order.</summary>
public sealed record DecodedBinaryBatch(ClientId Client, ReadOnlyMemory<byte> Signature, BinaryBatchEntry[] Entries);

/// <summary>Why a binary batch body was refused.</summary>
public enum BinaryBatchProblem
{
    Malformed,
    Truncated,
    TooLarge,
    UnsupportedVersion,
}

/// <summary>A binary batch body that does not follow the format; the message says where and why, in one line.</summary>
public sealed class BinaryBatchFormatException(BinaryBatchProblem problem, string message) : Exception(message)
{
    public BinaryBatchProblem Problem { get; } = problem;
}

/// <summary>
/// The compact body of <c>POST /v1/batches</c> (docs/http-api.md, "Binary batch body"), an alternative
/// to JSON that needs no base64, hex or per-entry media-type parsing:
/// <code>
/// "STB" version:u8 (=1) || client:u64 || signature:64 || types:u8 (1..255) || types × (length:u8 media-type)
///     || count:u32 (1..65,536) || count × (sequence:u64 salt:32 type:u8 length:u32 (≤ 65,536) content)
/// </code>
/// Integers big-endian; sequences strictly ascending (the canonical batch order); nothing after the last entry.
/// </summary>
public static class BinaryBatch
{
    public const string ContentType = "application/vnd.stele.batch";
    public const byte Version = 1;
    public const int SignatureLength = 64;
    public const int MaxContentLength = PayloadSlot.InlineLimit;
    private const int EntryHeader = sizeof(ulong) + Salt.Length + 1 + sizeof(uint);

    private static ReadOnlySpan<byte> Magic => "STB"u8;

    /// <summary>Encodes entries (sequences must ascend) under the client's batch signature.</summary>
    public static byte[] Encode(ClientId client, ReadOnlySpan<byte> signature, IReadOnlyList<BinaryBatchEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (signature.Length != SignatureLength) throw new ArgumentException($"a batch signature is {SignatureLength} bytes", nameof(signature));
        if (entries.Count is 0 or > BatchTree.MaxEntries) throw new ArgumentException($"a batch has 1 to {BatchTree.MaxEntries} entries", nameof(entries));
        var types = new List<string>();
        var typeIndex = new Dictionary<string, byte>(StringComparer.Ordinal);
        long size = Magic.Length + 1 + sizeof(ulong) + SignatureLength + 1 + sizeof(uint);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (i > 0 && entry.Sequence <= entries[i - 1].Sequence) throw new ArgumentException("batch sequences must ascend", nameof(entries));
            if (entry.Salt.Length != Salt.Length || entry.Content.Length > MaxContentLength)
                throw new ArgumentException($"entry {i} needs a {Salt.Length}-byte salt and at most {MaxContentLength} bytes of content", nameof(entries));
            if (!typeIndex.ContainsKey(entry.MediaType.Value))
            {
                if (types.Count == byte.MaxValue) throw new ArgumentException($"a batch names at most {byte.MaxValue} media types", nameof(entries));
                typeIndex[entry.MediaType.Value] = (byte)types.Count;
                types.Add(entry.MediaType.Value);
                size += 1 + entry.MediaType.Value.Length;
            }
            size += EntryHeader + entry.Content.Length;
        }

        var body = new byte[checked((int)size)];
        var at = 0;
        Magic.CopyTo(body);
        at += Magic.Length;
        body[at++] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(at), client.Value);
        at += sizeof(ulong);
        signature.CopyTo(body.AsSpan(at));
        at += SignatureLength;
        body[at++] = (byte)types.Count;
        foreach (var type in types)
        {
            body[at++] = (byte)type.Length;
            at += System.Text.Encoding.ASCII.GetBytes(type, body.AsSpan(at));
        }
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(at), (uint)entries.Count);
        at += sizeof(uint);
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(at), entry.Sequence);
            entry.Salt.Span.CopyTo(body.AsSpan(at + sizeof(ulong)));
            body[at + sizeof(ulong) + Salt.Length] = typeIndex[entry.MediaType.Value];
            BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(at + sizeof(ulong) + Salt.Length + 1), (uint)entry.Content.Length);
            at += EntryHeader;
            entry.Content.Span.CopyTo(body.AsSpan(at));
            at += entry.Content.Length;
        }
        return body;
    }

    /// <summary>Decodes a whole body; throws <see cref="BinaryBatchFormatException"/> naming the first problem.</summary>
    public static DecodedBinaryBatch Decode(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        Need(span, 0, Magic.Length + 1, "the header");
        if (!span[..Magic.Length].SequenceEqual(Magic)) throw Malformed("the body does not start with \"STB\" (not a binary batch)");
        if (span[Magic.Length] != Version)
            throw new BinaryBatchFormatException(BinaryBatchProblem.UnsupportedVersion, $"binary batch version {span[Magic.Length]} is not supported (this server reads version {Version})");
        var at = Magic.Length + 1;
        Need(span, at, sizeof(ulong) + SignatureLength + 1, "the client, signature and media-type count");
        var client = new ClientId(BinaryPrimitives.ReadUInt64BigEndian(span[at..]));
        var signature = body.Slice(at + sizeof(ulong), SignatureLength);
        at += sizeof(ulong) + SignatureLength;
        var types = new MediaType[span[at++]];
        if (types.Length == 0) throw Malformed("a binary batch names at least one media type");
        for (var t = 0; t < types.Length; t++)
        {
            Need(span, at, 1, $"media type {t}");
            var length = span[at++];
            Need(span, at, length, $"media type {t}");
            var text = System.Text.Encoding.ASCII.GetString(span.Slice(at, length));
            if (!MediaType.IsValid(text) || span.Slice(at, length).IndexOfAnyExceptInRange((byte)' ', (byte)'~') >= 0)
                throw Malformed($"media type {t} is not type/subtype in printable ASCII of at most {MediaType.MaxLength} bytes");
            types[t] = new MediaType(text);
            at += length;
        }
        Need(span, at, sizeof(uint), "the entry count");
        var count = BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
        at += sizeof(uint);
        if (count is 0 or > BatchTree.MaxEntries) throw Malformed($"a batch has 1 to {BatchTree.MaxEntries} entries, not {count}");

        var entries = new BinaryBatchEntry[count];
        for (var i = 0; i < entries.Length; i++)
        {
            Need(span, at, EntryHeader, $"entry {i} of {count}");
            var sequence = BinaryPrimitives.ReadUInt64BigEndian(span[at..]);
            var type = span[at + sizeof(ulong) + Salt.Length];
            var length = BinaryPrimitives.ReadUInt32BigEndian(span[(at + sizeof(ulong) + Salt.Length + 1)..]);
            if (i > 0 && sequence <= entries[i - 1].Sequence)
                throw Malformed($"entry {i} has sequence {sequence}, not above {entries[i - 1].Sequence}: sequences must ascend");
            if (type >= types.Length) throw Malformed($"entry {i} names media type {type}; the batch has {types.Length}");
            if (length > MaxContentLength)
                throw new BinaryBatchFormatException(BinaryBatchProblem.TooLarge, $"entry {i} has {length} bytes; batched entries are at most {MaxContentLength} (post larger ones to /v1/entries)");
            Need(span, at + EntryHeader, (int)length, $"the content of entry {i}");
            entries[i] = new BinaryBatchEntry(sequence, body.Slice(at + sizeof(ulong), Salt.Length), types[type], body.Slice(at + EntryHeader, (int)length));
            at += EntryHeader + (int)length;
        }
        if (at != span.Length) throw Malformed($"{span.Length - at} bytes follow the last of {count} entries");
        return new DecodedBinaryBatch(client, signature, entries);
    }

    private static void Need(ReadOnlySpan<byte> span, int at, int length, string what)
    {
        if (span.Length - at < length)
            throw new BinaryBatchFormatException(BinaryBatchProblem.Truncated, $"the binary batch ends inside {what} (byte {span.Length} of at least {(long)at + length})");
    }

    private static BinaryBatchFormatException Malformed(string message) => new(BinaryBatchProblem.Malformed, message);
}
