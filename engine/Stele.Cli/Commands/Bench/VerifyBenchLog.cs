using System.Buffers.Binary;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Domain.Signing;
using Stele.Tlog;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;
using Stele.Tlog.Tiles;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// Writes a synthetic but fully valid published log into a directory for `stele bench verify`: a few
/// registrations, then small inline entries, either each Ed25519-signed or in one-client batches (one
/// signature per batch). Generated before the clock starts; records, tiles, bundles, payload files,
/// certificates and the checkpoint follow docs/log-format.md.
/// </summary>
internal sealed class VerifyBenchLog : IDisposable
{
    private const int Clients = 16;
    private const int ContentBytes = 32;
    private const int Width = TileId.FullWidth;

    private readonly NoteSignerKey _key = NoteSignerKey.Generate("bench.stele.local/verify");
    private readonly (Ed25519SecretKey Ed, BlsSecretKey Bls, ClientId Id)[] _clients;
    private readonly LogOrigin _origin;

    public VerifyBenchLog()
    {
        _origin = new LogOrigin(_key.Name);
        _clients = [.. Enumerable.Range(0, Clients).Select(_ =>
        {
            var ed = Ed25519SecretKey.Generate();
            var bls = BlsSecretKey.Generate();
            return (ed, bls, ClientId.FromKeys(ed.PublicKey, bls.PublicKey));
        })];
    }

    public NoteVerifierKey Verifier => _key.Verifier;

    /// <summary>Writes <paramref name="entries"/> entries (plus the registrations); batchSize 1 means individually signed.</summary>
    public ulong Write(string directory, int entries, int batchSize)
    {
        var leaves = new List<(LeafRecord Record, PayloadSlot Slot)>(Clients + entries);
        var certificates = new List<BatchCertificate>();
        foreach (var (ed, bls, id) in _clients)
            leaves.Add((new RegistrationRecord(id, ed.PublicKey, bls.PublicKey, bls.ProvePossession(), ed.Sign(SigningMessages.Registration(_origin, id, ed.PublicKey, bls.PublicKey))), NoPayload.Instance));
        var sequences = new ulong[Clients];
        var unsigned = new List<EntryDescriptor>();
        for (var done = 0; done < entries; done += batchSize)
        {
            var client = (done / batchSize) % Clients;
            var count = Math.Min(batchSize, entries - done);
            var items = new (EntryDescriptor Descriptor, PayloadSlot Slot)[count];
            for (var i = 0; i < count; i++) items[i] = Describe(client, ++sequences[client], done + i);
            if (batchSize == 1)
            {
                leaves.Add((null!, items[0].Slot)); // signed below, in parallel
                unsigned.Add(items[0].Descriptor);
                continue;
            }
            var root = BatchTree.Build(items.Select(x => x.Descriptor).ToArray()).Root;
            var first = (ulong)leaves.Count;
            for (var i = 0; i < count; i++) leaves.Add((new BatchedEntryRecord(items[i].Descriptor, root, (uint)i), items[i].Slot));
            var (ed, _, id) = _clients[client];
            certificates.Add(new SingleClientBatchCertificate(root, first, (uint)count, id, ed.Sign(SigningMessages.Batch(_origin, id, root, count))));
        }
        if (batchSize == 1) SignIndividually(leaves, unsigned);
        return Publish(directory, leaves, certificates);
    }

    private void SignIndividually(List<(LeafRecord Record, PayloadSlot Slot)> leaves, List<EntryDescriptor> descriptors)
    {
        var records = new LeafRecord[descriptors.Count];
        Parallel.For(0, descriptors.Count, i =>
        {
            var ed = _clients[i % Clients].Ed;
            records[i] = new EntryRecord(descriptors[i], ed.Sign(SigningMessages.Entry(_origin, descriptors[i])));
        });
        for (var i = 0; i < records.Length; i++) leaves[Clients + i] = (records[i], leaves[Clients + i].Slot);
    }

    private (EntryDescriptor, PayloadSlot) Describe(int client, ulong sequence, int n)
    {
        var content = new byte[ContentBytes];
        BinaryPrimitives.WriteInt64BigEndian(content, n);
        var salt = Salt.NewRandom();
        var descriptor = new EntryDescriptor(_clients[client].Id, sequence, Commitment.Compute(salt, content), ContentBytes, new MediaType("text/plain"));
        return (descriptor, new InlinePayload(salt, content));
    }

    private ulong Publish(string directory, List<(LeafRecord Record, PayloadSlot Slot)> leaves, List<BatchCertificate> certificates)
    {
        foreach (var certificate in certificates) Write(directory, BatchCertificate.KeyFor(certificate.Root), certificate.ToBytes());
        var tree = new IncrementalTree();
        for (var first = 0; first < leaves.Count; first += Width)
        {
            var chunk = leaves.Skip(first).Take(Width).ToList();
            var records = chunk.Select(l => l.Record.ToBytes()).ToList();
            var tile = (ulong)(first / Width);
            Write(directory, TileId.Entries(tile, chunk.Count).Path, EntryBundle.Encode(records));
            Write(directory, PayloadFile.KeyFor((ulong)first), new PayloadFile((ulong)first, chunk.Select(l => l.Slot).ToList()).ToBytes());
            foreach (var t in tree.Append(records.Select(r => Rfc6962.HashLeaf(r)).ToArray()).Tiles) Write(directory, t.Id.Path, t.Data.ToArray());
        }
        Write(directory, "checkpoint", new CheckpointSigner(_key).Sign(tree.Size, tree.Root));
        return tree.Size.Value;
    }

    private static void Write(string directory, string key, byte[] bytes)
    {
        var path = Path.Combine(directory, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public void Dispose()
    {
        _key.Dispose();
        foreach (var (ed, bls, _) in _clients)
        {
            ed.Dispose();
            bls.Dispose();
        }
    }
}
