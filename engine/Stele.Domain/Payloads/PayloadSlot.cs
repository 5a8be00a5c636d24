using Stele.Domain.Content;

namespace Stele.Domain.Payloads;

/// <summary>What a payload file holds for one leaf (docs/log-format.md, "Payload files").</summary>
public abstract record PayloadSlot
{
    /// <summary>Contents up to this size are inline in the payload file; larger ones are blobs.</summary>
    public const int InlineLimit = 64 * 1024;

    internal abstract byte Tag { get; }
}

/// <summary>Registrations and redaction notices carry no content.</summary>
public sealed record NoPayload : PayloadSlot
{
    public static readonly NoPayload Instance = new();

    internal override byte Tag => 0;
}

/// <summary>A small content with its salt, published in the payload file itself.</summary>
public sealed record InlinePayload(Salt Salt, ReadOnlyMemory<byte> Content) : PayloadSlot
{
    internal override byte Tag => 1;

    public bool Opens(Commitment commitment, ulong size) =>
        (ulong)Content.Length == size && Commitment.Compute(Salt, Content.Span).Equals(commitment);
}

/// <summary>A large content, published as a blob named by its commitment.</summary>
public sealed record BlobPayload(Salt Salt, ulong Size) : PayloadSlot
{
    internal override byte Tag => 2;

    public static string KeyFor(Commitment commitment)
    {
        var hex = commitment.ToString();
        return $"blob/{hex[..2]}/{hex}";
    }
}

/// <summary>An erased leaf: content and salt are gone; the notice leaf says when and why.</summary>
public sealed record Tombstone(ulong NoticeLeaf) : PayloadSlot
{
    internal override byte Tag => 3;
}
