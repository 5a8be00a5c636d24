using Stele.Domain.Encoding;
using Stele.Domain.Identity;

namespace Stele.Domain.Content;

/// <summary>What a client commits to for one entry: everything but the content itself.</summary>
public sealed record EntryDescriptor(ClientId Client, ulong Sequence, Commitment Commitment, ulong Size, MediaType MediaType)
{
    public void WriteTo(FormatWriter writer)
    {
        var mediaType = System.Text.Encoding.ASCII.GetBytes(MediaType.Value);
        writer.U64(Client.Value).U64(Sequence).Hash(Commitment.Hash).U64(Size).U8((byte)mediaType.Length).Bytes(mediaType);
    }

    public byte[] ToBytes()
    {
        var writer = new FormatWriter(64);
        WriteTo(writer);
        return writer.ToArray();
    }

    public static EntryDescriptor ReadFrom(ref FormatReader reader)
    {
        var client = new ClientId(reader.U64("client id"));
        var sequence = reader.U64("sequence");
        var commitment = Commitment.FromBytes(reader.Bytes(Commitment.Length, "commitment"));
        var size = reader.U64("size");
        var mediaTypeBytes = reader.Bytes(reader.U8("media type length"), "media type");
        var mediaTypeText = System.Text.Encoding.Latin1.GetString(mediaTypeBytes); // 1:1, so IsValid sees every byte
        if (!MediaType.IsValid(mediaTypeText)) throw new LogFormatException($"entry descriptor: invalid media type '{mediaTypeText}'");
        return new EntryDescriptor(client, sequence, commitment, size, new MediaType(mediaTypeText));
    }

    /// <summary>The canonical batch order: ascending (client, sequence).</summary>
    public static int CompareCanonical(EntryDescriptor a, EntryDescriptor b)
    {
        var byClient = a.Client.CompareTo(b.Client);
        return byClient != 0 ? byClient : a.Sequence.CompareTo(b.Sequence);
    }
}
