using System.Security.Cryptography;
using Stele.Broker.Batching;
using Stele.Crypto.Blake3;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;

namespace Stele.Broker.Tests;

public sealed class FlatBatchTreeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(256)]
    [InlineData(1000)]
    public void Roots_and_audit_paths_equal_the_domain_batch_tree(int size)
    {
        var descriptors = Enumerable.Range(0, size)
            .Select(i => new EntryDescriptor(new ClientId((ulong)(i / 3)), (ulong)i, Commitment.FromBytes(RandomNumberGenerator.GetBytes(32)), (ulong)i, new MediaType("text/plain")))
            .ToArray();
        var expected = BatchTree.Build(descriptors);
        var flat = new FlatBatchTree(size);
        for (var i = 0; i < size; i++) flat.SetLeaf(i, descriptors[i].ToBytes());
        var root = new byte[32];
        flat.Complete(size, root);
        Assert.Equal(expected.Root, BatchRoot.FromBytes(root));
        var path = new byte[16 * 32];
        foreach (var index in new[] { 0, size / 2, size - 1 })
        {
            var hashes = flat.WriteProof(index, path);
            var audit = Enumerable.Range(0, hashes).Select(h => Blake3Hash.FromBytes(path.AsSpan(h * 32, 32))).ToArray();
            Assert.Equal(expected.InclusionProof(index), audit);
            Assert.True(BatchTree.VerifyInclusion(descriptors[index], index, size, audit, expected.Root));
        }
    }
}
