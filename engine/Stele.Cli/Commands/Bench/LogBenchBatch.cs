using Stele.Client;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// A binary `POST /v1/batches` body (<see cref="BinaryBatch"/>) built and signed before the timed window (as the issue allows): small
/// entries with fresh salts, commitments, the canonical batch tree and one Ed25519 signature over its root.
/// </summary>
internal sealed record LogBenchBatch(int Count, byte[] Body)
{
    public static LogBenchBatch Sign(ClientKeys keys, LogOrigin origin, int count)
    {
        var first = keys.Sequences.Reserve(count);
        var descriptors = new EntryDescriptor[count];
        var salts = new Salt[count];
        var contents = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            contents[i] = new byte[8];
            Random.Shared.NextBytes(contents[i]);
            salts[i] = Salt.NewRandom();
            descriptors[i] = new EntryDescriptor(keys.Client, first + (ulong)i, Commitment.Compute(salts[i], contents[i]), 8, MediaType.OctetStream);
        }
        var root = BatchTree.Build(descriptors).Root; // ascending sequences: canonical order
        var signature = keys.SignEd25519(SigningMessages.Batch(origin, keys.Client, root, count));
        var entries = new BinaryBatchEntry[count];
        for (var i = 0; i < count; i++)
            entries[i] = new BinaryBatchEntry(descriptors[i].Sequence, salts[i].AsSpan().ToArray(), MediaType.OctetStream, contents[i]);
        return new LogBenchBatch(count, BinaryBatch.Encode(keys.Client, signature.AsSpan(), entries));
    }

    public HttpRequestMessage ToRequest(Uri server)
    {
        var content = new ByteArrayContent(Body);
        content.Headers.TryAddWithoutValidation("Content-Type", BinaryBatch.ContentType);
        return new HttpRequestMessage(HttpMethod.Post, new Uri(server, "v1/batches")) { Content = content };
    }
}
