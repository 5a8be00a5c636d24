using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Projections.Publishing;
using Stele.Storage;
using Stele.Tlog;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;
using Stele.Tlog.Proofs;
using Stele.Tlog.Tiles;

namespace Stele.Projections.Tests.Support;

/// <summary>Checks a published log from its files alone, as a reader would.</summary>
internal static class LogChecker
{
    public static async Task<VerifiedCheckpoint> CheckpointAsync(IObjectStore store, NoteVerifierKey verifier) =>
        UnverifiedCheckpoint.Parse(await store.GetBytesAsync(PublishedObjects.CheckpointKey)).Verify(new NoteVerifiers(verifier));

    /// <summary>Verifies the checkpoint, every tile and bundle against it, and every payload slot; returns the leaf records.</summary>
    public static async Task<(VerifiedCheckpoint Checkpoint, List<LeafRecord> Records)> VerifyAsync(IObjectStore store, NoteVerifierKey verifier)
    {
        var checkpoint = await CheckpointAsync(store, verifier);
        var size = checkpoint.Size.Value;
        var records = new List<byte[]>();
        for (ulong group = 0; group * 256 < size; group++)
        {
            var width = (int)Math.Min(256, size - group * 256);
            records.AddRange(EntryBundle.Decode(await store.GetBytesAsync(TileId.Entries(group, width).Path)));
        }
        Assert.Equal((int)size, records.Count);
        var hashes = records.Select(r => Rfc6962.HashLeaf(r)).ToArray();
        var tree = new IncrementalTree();
        var update = tree.Append(hashes);
        Assert.Equal(checkpoint.Root, tree.Root);
        foreach (var tile in update.Tiles)
            Assert.Equal(tile.Data.ToArray(), await store.GetBytesAsync(tile.Id.Path));
        Assert.Equal(checkpoint.Root, await TileProofs.TreeHashAsync(new StoreTileReader(store), checkpoint.Size));

        var parsed = records.Select(r => LeafRecord.Parse(r)).ToList();
        for (ulong group = 0; group * 256 < size; group++)
        {
            var payload = PayloadFile.Parse(await store.GetBytesAsync(PayloadFile.KeyFor(group * 256)));
            Assert.Equal(group * 256, payload.FirstLeaf);
            Assert.True(payload.Slots.Count >= (int)Math.Min(256, size - group * 256));
            for (var i = 0; i < (int)Math.Min(256, size - group * 256); i++)
            {
                var record = parsed[(int)(group * 256) + i];
                var slot = payload.Slots[i];
                switch (record)
                {
                    case RegistrationRecord or RedactionRecord: Assert.IsType<NoPayload>(slot); break;
                    case EntryRecord e: AssertOpensOrErased(slot, e.Descriptor, group * 256 + (ulong)i, parsed); break;
                    case BatchedEntryRecord b: AssertOpensOrErased(slot, b.Descriptor, group * 256 + (ulong)i, parsed); break;
                }
            }
        }
        return (checkpoint, parsed);
    }

    /// <summary>An entry's slot opens its commitment, or is a tombstone naming a notice that targets this leaf.</summary>
    private static void AssertOpensOrErased(PayloadSlot slot, Stele.Domain.Content.EntryDescriptor descriptor, ulong leaf, List<LeafRecord> records)
    {
        if (slot is Tombstone tombstone)
        {
            Assert.True(tombstone.NoticeLeaf < (ulong)records.Count, $"tombstone of leaf {leaf} names leaf {tombstone.NoticeLeaf}, beyond the tree");
            Assert.Equal(leaf, Assert.IsType<RedactionRecord>(records[(int)tombstone.NoticeLeaf]).TargetLeaf);
            return;
        }
        AssertOpens(slot, descriptor);
    }

    private static void AssertOpens(PayloadSlot slot, Stele.Domain.Content.EntryDescriptor descriptor)
    {
        if (slot is BlobPayload blob)
        {
            Assert.Equal(descriptor.Size, blob.Size);
            return;
        }
        Assert.True(Assert.IsType<InlinePayload>(slot).Opens(descriptor.Commitment, descriptor.Size));
    }

    public static async Task AssertInclusionAsync(IObjectStore store, VerifiedCheckpoint checkpoint, ulong leaf, byte[] record)
    {
        var proof = await TileProofs.InclusionProofAsync(new StoreTileReader(store), new LeafIndex(leaf), checkpoint.Size);
        Assert.True(MerkleVerifier.VerifyInclusion(new LeafIndex(leaf), checkpoint.Size, Rfc6962.HashLeaf(record), proof, checkpoint.Root));
    }
}
