using Stele.Crypto.Blake3;
using Stele.Domain.Batches;
using Stele.Domain.Content;

namespace Stele.Domain.Tests;

public sealed class BatchTreeTests
{
    private static List<EntryDescriptor> Batch(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Samples.Descriptor((ulong)(i / 3 + 1), (ulong)(i % 3), $"content {i}"))];

    // Independent reference: RFC 6962 §2.1's recursive definition with the largest-power-of-two split.
    private static Blake3Hash ReferenceRoot(IReadOnlyList<EntryDescriptor> entries, int start, int count)
    {
        if (count == 1) return BatchTree.LeafHash(entries[start]);
        var k = 1;
        while (k * 2 < count) k *= 2;
        return BatchTree.NodeHash(ReferenceRoot(entries, start, k), ReferenceRoot(entries, start + k, count - k));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(100)]
    public void Root_matches_the_recursive_rfc6962_definition_and_every_proof_verifies(int count)
    {
        var entries = Batch(count);
        var tree = BatchTree.Build(entries);
        Assert.Equal(ReferenceRoot(entries, 0, count), tree.Root.Hash);
        for (var i = 0; i < count; i++)
        {
            var proof = tree.InclusionProof(i);
            Assert.True(BatchTree.VerifyInclusion(entries[i], i, count, proof, tree.Root), $"entry {i} of {count}");
        }
    }

    [Fact]
    public void Tampered_proofs_indices_entries_and_roots_fail()
    {
        var entries = Batch(11);
        var tree = BatchTree.Build(entries);
        var proof = tree.InclusionProof(6);
        Assert.True(BatchTree.VerifyInclusion(entries[6], 6, 11, proof, tree.Root));

        Assert.False(BatchTree.VerifyInclusion(entries[5], 6, 11, proof, tree.Root));          // wrong entry
        Assert.False(BatchTree.VerifyInclusion(entries[6], 7, 11, proof, tree.Root));          // wrong index
        Assert.False(BatchTree.VerifyInclusion(entries[6], 6, 7, proof, tree.Root));           // wrong size (other path shape)
        Assert.False(BatchTree.VerifyInclusion(entries[6], 6, 11, proof[..^1], tree.Root));    // truncated
        Assert.False(BatchTree.VerifyInclusion(entries[6], 6, 11, [.. proof, proof[0]], tree.Root)); // extended
        var bent = proof.ToArray();
        bent[1] = Blake3.Hash("x"u8);
        Assert.False(BatchTree.VerifyInclusion(entries[6], 6, 11, bent, tree.Root));
        Assert.False(BatchTree.VerifyInclusion(entries[6], 6, 11, proof, new BatchRoot(Blake3.Hash("y"u8))));
        Assert.False(BatchTree.VerifyInclusion(entries[6], -1, 11, proof, tree.Root));
    }

    [Fact]
    public void Non_canonical_order_duplicates_and_empty_batches_are_refused()
    {
        var entries = Batch(4);
        Assert.Throws<ArgumentException>(() => BatchTree.Build([entries[1], entries[0]]));
        Assert.Throws<ArgumentException>(() => BatchTree.Build([entries[0], entries[0]]));
        Assert.Throws<ArgumentException>(() => BatchTree.Build([]));
    }
}
