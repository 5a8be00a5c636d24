using System.Globalization;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Api.Tests;

/// <summary>Hand-built POST /v1/entries requests, so tests can forge, replay or corrupt any part.</summary>
internal sealed record SignedEntry(ClientId Client, ulong Sequence, Salt Salt, Commitment Commitment, byte[] Content, string MediaType, string Signature)
{
    public static SignedEntry Create(ClientKeys keys, LogOrigin origin, byte[] content, ulong? sequence = null, string mediaType = "text/plain")
    {
        var salt = Salt.NewRandom();
        var commitment = Commitment.Compute(salt, content);
        var seq = sequence ?? keys.Sequences.Reserve();
        var descriptor = new EntryDescriptor(keys.Client, seq, commitment, (ulong)content.Length, new MediaType(mediaType));
        var signature = keys.SignEd25519(SigningMessages.Entry(origin, descriptor)).ToString();
        return new SignedEntry(keys.Client, seq, salt, commitment, content, mediaType, signature);
    }

    public HttpRequestMessage ToRequest(byte[]? body = null, string query = "")
    {
        var content = new ByteArrayContent(body ?? Content);
        content.Headers.TryAddWithoutValidation("Content-Type", MediaType);
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/entries" + query) { Content = content };
        foreach (var (name, value) in Headers()) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public IEnumerable<(string, string)> Headers()
    {
        yield return ("Stele-Client", Client.ToString());
        yield return ("Stele-Sequence", Sequence.ToString(CultureInfo.InvariantCulture));
        yield return ("Stele-Commitment", Commitment.ToString());
        yield return ("Stele-Salt", Convert.ToHexStringLower(Salt.AsSpan()));
        yield return ("Stele-Signature", Signature);
    }
}

/// <summary>A hand-built POST /v1/batches body (JSON), signed over its canonical batch root, as a node tests can corrupt.</summary>
internal sealed record SignedBatch(ClientId Client, System.Text.Json.Nodes.JsonObject Body)
{
    public static SignedBatch Create(ClientKeys keys, LogOrigin origin, IReadOnlyList<byte[]> contents, ulong? firstSequence = null)
    {
        var first = firstSequence ?? keys.Sequences.Reserve(contents.Count);
        var descriptors = new EntryDescriptor[contents.Count];
        var entries = new System.Text.Json.Nodes.JsonArray();
        for (var i = 0; i < contents.Count; i++)
        {
            var salt = Salt.NewRandom();
            var sequence = first + (ulong)i;
            descriptors[i] = new EntryDescriptor(keys.Client, sequence, Commitment.Compute(salt, contents[i]), (ulong)contents[i].Length, Stele.Domain.Content.MediaType.OctetStream);
            entries.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["sequence"] = sequence,
                ["salt"] = Convert.ToHexStringLower(salt.AsSpan()),
                ["media_type"] = Stele.Domain.Content.MediaType.OctetStream.Value,
                ["content"] = Convert.ToBase64String(contents[i]),
            });
        }
        var root = Stele.Domain.Batches.BatchTree.Build(descriptors).Root;
        var signature = keys.SignEd25519(SigningMessages.Batch(origin, keys.Client, root, descriptors.Length)).ToString();
        return new SignedBatch(keys.Client, new System.Text.Json.Nodes.JsonObject { ["client"] = keys.Client.ToString(), ["signature"] = signature, ["entries"] = entries });
    }

    public HttpRequestMessage ToRequest() => ToRequest(Body.ToJsonString());

    public static HttpRequestMessage ToRequest(string json) =>
        new(HttpMethod.Post, "v1/batches") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
}

/// <summary>A hand-built binary POST /v1/batches body (Stele.Domain.Batches.BinaryBatch), signed over its canonical batch root; tests may cut or corrupt it.</summary>
internal sealed record SignedBinaryBatch(ClientId Client, Stele.Domain.Batches.BinaryBatchEntry[] Entries, byte[] Body)
{
    public static SignedBinaryBatch Create(ClientKeys keys, LogOrigin origin, IReadOnlyList<byte[]> contents, ulong? firstSequence = null, string mediaType = "application/octet-stream")
    {
        var first = firstSequence ?? keys.Sequences.Reserve(contents.Count);
        var type = new Stele.Domain.Content.MediaType(mediaType);
        var entries = new Stele.Domain.Batches.BinaryBatchEntry[contents.Count];
        var descriptors = new EntryDescriptor[contents.Count];
        for (var i = 0; i < contents.Count; i++)
        {
            var salt = Salt.NewRandom();
            entries[i] = new Stele.Domain.Batches.BinaryBatchEntry(first + (ulong)i, salt.AsSpan().ToArray(), type, contents[i]);
            descriptors[i] = new EntryDescriptor(keys.Client, first + (ulong)i, Commitment.Compute(salt, contents[i]), (ulong)contents[i].Length, type);
        }
        var root = Stele.Domain.Batches.BatchTree.Build(descriptors).Root;
        var signature = keys.SignEd25519(SigningMessages.Batch(origin, keys.Client, root, descriptors.Length));
        return new SignedBinaryBatch(keys.Client, entries, Stele.Domain.Batches.BinaryBatch.Encode(keys.Client, signature.AsSpan(), entries));
    }

    public HttpRequestMessage ToRequest(string query = "") => ToRequest(Body, query);

    public static HttpRequestMessage ToRequest(byte[] body, string query = "")
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", Stele.Domain.Batches.BinaryBatch.ContentType);
        return new HttpRequestMessage(HttpMethod.Post, "v1/batches" + query) { Content = content };
    }
}
