using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;

namespace Stele.Api.Tests;

/// <summary>The binary batch body format (Stele.Domain.Batches.BinaryBatch), as pure encode/decode logic.</summary>
public sealed class BinaryBatchFormatTests
{
    private static readonly byte[] Signature = [.. Enumerable.Range(0, 64).Select(i => (byte)(255 - i))];

    private static BinaryBatchEntry Entry(ulong sequence, string type, params byte[] content) =>
        new(sequence, Enumerable.Repeat((byte)sequence, 32).ToArray(), new MediaType(type), content);

    [Fact]
    public void A_body_decodes_to_what_was_encoded_with_each_media_type_named_once()
    {
        BinaryBatchEntry[] entries = [Entry(3, "text/plain", 1, 2, 3), Entry(9, "application/json"), Entry(10, "text/plain", 7)];
        var body = BinaryBatch.Encode(new ClientId(0xc5365278b72e118c), Signature, entries);

        var decoded = BinaryBatch.Decode(body);

        Assert.Equal(0xc5365278b72e118cUL, decoded.Client.Value);
        Assert.Equal(Signature, decoded.Signature.ToArray());
        Assert.Equal(entries.Length, decoded.Entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            Assert.Equal(entries[i].Sequence, decoded.Entries[i].Sequence);
            Assert.Equal(entries[i].Salt.ToArray(), decoded.Entries[i].Salt.ToArray());
            Assert.Equal(entries[i].MediaType, decoded.Entries[i].MediaType);
            Assert.Equal(entries[i].Content.ToArray(), decoded.Entries[i].Content.ToArray());
        }
        // "STB" 1 | client | signature | 2 types (1+10, 1+16) | count | 3 × (8+32+1+4) + 4 content bytes
        Assert.Equal(4 + 8 + 64 + 1 + 11 + 17 + 4 + 3 * 45 + 4, body.Length);
        Assert.Equal("STB\u0001"u8.ToArray(), body[..4]);
    }

    [Fact]
    public void Encoding_refuses_what_decoding_would_refuse()
    {
        var client = new ClientId(1);
        Assert.Throws<ArgumentException>(() => BinaryBatch.Encode(client, Signature, []));
        Assert.Throws<ArgumentException>(() => BinaryBatch.Encode(client, Signature[..63], [Entry(1, "a/b")]));
        Assert.Throws<ArgumentException>(() => BinaryBatch.Encode(client, Signature, [Entry(2, "a/b"), Entry(2, "a/b")]));
        Assert.Throws<ArgumentException>(() => BinaryBatch.Encode(client, Signature, [Entry(1, "a/b", new byte[BinaryBatch.MaxContentLength + 1])]));
    }

    [Fact]
    public void Every_problem_is_named_in_one_line_with_its_kind()
    {
        var body = BinaryBatch.Encode(new ClientId(1), Signature, [Entry(1, "a/b", 5, 6)]);
        var truncated = Assert.Throws<BinaryBatchFormatException>(() => BinaryBatch.Decode(body[..^1]));
        Assert.Equal(BinaryBatchProblem.Truncated, truncated.Problem);
        Assert.Contains("content of entry 0", truncated.Message);
        Assert.DoesNotContain('\n', truncated.Message);

        var trailing = Assert.Throws<BinaryBatchFormatException>(() => BinaryBatch.Decode((byte[])[.. body, 0, 0]));
        Assert.Equal(BinaryBatchProblem.Malformed, trailing.Problem);
        Assert.Contains("2 bytes follow", trailing.Message);
    }
}
