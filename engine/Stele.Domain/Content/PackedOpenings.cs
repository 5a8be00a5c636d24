using System.Buffers.Binary;

namespace Stele.Domain.Content;

/// <summary>One opening read out of a packed batch: its content is a slice of the packed bytes (no copy).</summary>
public readonly record struct PackedOpening(Commitment Commitment, ReadOnlyMemory<byte> Salt, ReadOnlyMemory<byte> Content);

/// <summary>
/// The openings of a whole distilled batch in two byte strings, so the database stores ONE row per
/// batch instead of one per entry (docs/broker.md, "Packed openings"): <c>commitments</c> is
/// n × 32 bytes in leaf order (the index an erasure searches), <c>openings</c> is
/// <c>version:u8 (=1) || n × (salt:32 content_length:u16 content)</c> in the same order.
/// Contents are small (a broker datagram carries at most 1,024 bytes), so they are always inline.
/// </summary>
public static class PackedOpenings
{
    public const byte Version = 1;
    public const int MaxContentLength = ushort.MaxValue;
    private const int EntryOverhead = Salt.Length + sizeof(ushort);

    /// <summary>Bytes of the openings string for contents of these lengths.</summary>
    public static int OpeningsLength(int entries, long contentBytes) => checked((int)(1 + (long)entries * EntryOverhead + contentBytes));

    /// <summary>Fills the two strings, entry by entry, without intermediate copies.</summary>
    public ref struct Writer
    {
        private readonly Span<byte> _commitments, _openings;
        private int _entries, _at;

        public Writer(Span<byte> commitments, Span<byte> openings)
        {
            if (openings.IsEmpty) throw new ArgumentException("the openings string needs at least its version byte", nameof(openings));
            _commitments = commitments;
            _openings = openings;
            _openings[0] = Version;
            _at = 1;
        }

        public void Add(scoped ReadOnlySpan<byte> commitment, scoped ReadOnlySpan<byte> salt, scoped ReadOnlySpan<byte> content)
        {
            if (commitment.Length != Commitment.Length || salt.Length != Salt.Length || content.Length > MaxContentLength)
                throw new ArgumentException("a packed opening has a 32-byte commitment, a 32-byte salt and at most 65,535 bytes of content");
            commitment.CopyTo(_commitments[(_entries * Commitment.Length)..]);
            salt.CopyTo(_openings[_at..]);
            BinaryPrimitives.WriteUInt16BigEndian(_openings[(_at + Salt.Length)..], (ushort)content.Length);
            content.CopyTo(_openings[(_at + EntryOverhead)..]);
            _at += EntryOverhead + content.Length;
            _entries++;
        }

        /// <summary>True once every byte of both strings is written (the sizes were exact).</summary>
        public readonly bool IsComplete => _entries * Commitment.Length == _commitments.Length && _at == _openings.Length;
    }

    /// <summary>Packs openings held as separate values (an erasure's rewrite, tests).</summary>
    public static (byte[] Commitments, byte[] Openings) Pack(IReadOnlyList<PackedOpening> openings)
    {
        var commitments = new byte[openings.Count * Commitment.Length];
        var packed = new byte[OpeningsLength(openings.Count, openings.Sum(o => (long)o.Content.Length))];
        var writer = new Writer(commitments, packed);
        Span<byte> commitment = stackalloc byte[Commitment.Length];
        foreach (var o in openings)
        {
            o.Commitment.CopyTo(commitment);
            writer.Add(commitment, o.Salt.Span, o.Content.Span);
        }
        return (commitments, packed);
    }

    /// <summary>Reads every opening; throws <see cref="LogFormatException"/> naming the first inconsistency.</summary>
    public static PackedOpening[] Unpack(ReadOnlyMemory<byte> commitments, ReadOnlyMemory<byte> openings)
    {
        if (commitments.Length % Commitment.Length != 0)
            throw new LogFormatException($"packed openings: the commitments string has {commitments.Length} bytes, not a multiple of {Commitment.Length}");
        var span = openings.Span;
        if (span.IsEmpty || span[0] != Version)
            throw new LogFormatException($"packed openings: version {(span.IsEmpty ? "missing" : span[0].ToString(System.Globalization.CultureInfo.InvariantCulture))}, expected {Version}");
        var result = new PackedOpening[commitments.Length / Commitment.Length];
        var at = 1;
        for (var i = 0; i < result.Length; i++)
        {
            if (span.Length - at < EntryOverhead) throw new LogFormatException($"packed openings: entry {i} of {result.Length} is truncated");
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[(at + Salt.Length)..]);
            if (span.Length - at - EntryOverhead < length) throw new LogFormatException($"packed openings: the content of entry {i} is truncated");
            result[i] = new PackedOpening(
                Commitment.FromBytes(commitments.Span.Slice(i * Commitment.Length, Commitment.Length)),
                openings.Slice(at, Salt.Length),
                openings.Slice(at + EntryOverhead, length));
            at += EntryOverhead + length;
        }
        if (at != span.Length) throw new LogFormatException($"packed openings: {span.Length - at} bytes follow the last of {result.Length} entries");
        return result;
    }

    /// <summary>
    /// The two strings without the openings of <paramref name="erased"/> (an erasure rewrites the row
    /// with them gone), or null when none of them is in the batch.
    /// </summary>
    public static (byte[] Commitments, byte[] Openings)? Without(ReadOnlyMemory<byte> commitments, ReadOnlyMemory<byte> openings, IReadOnlySet<Commitment> erased)
    {
        var all = Unpack(commitments, openings);
        var kept = all.Where(o => !erased.Contains(o.Commitment)).ToArray();
        if (kept.Length == all.Length) return null;
        return Pack(kept);
    }
}
