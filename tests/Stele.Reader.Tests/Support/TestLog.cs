using System.Buffers.Binary;
using Stele.Crypto.Bls;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Domain.Signing;
using Stele.Storage;
using Stele.Tlog;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;
using Stele.Tlog.Tiles;

namespace Stele.Reader.Tests.Support;

/// <summary>
/// A small in-test publisher: builds leaf records, payload slots, batch certificates and blobs with the
/// Stele.Domain codecs, and publishes tiles, bundles and a signed checkpoint as docs/log-format.md says.
/// </summary>
internal sealed class TestLog : IDisposable
{
    private static readonly ObjectMetadata Immutable = new("application/octet-stream", "public, max-age=31536000, immutable");
    private static readonly ObjectMetadata Mutable = new("application/octet-stream", "no-cache");

    private readonly List<byte[]> _records = [];
    private readonly List<PayloadSlot> _slots = [];
    private readonly Dictionary<string, byte[]> _blobs = [];
    private readonly Dictionary<string, byte[]> _certificates = [];
    private readonly NoteSignerKey _key;

    public TestLog(string origin = "test.stele.example/log", NoteSignerKey? key = null)
    {
        _key = key ?? NoteSignerKey.Generate(origin);
        Origin = new LogOrigin(_key.Name);
        Signer = new CheckpointSigner(_key);
    }

    public LogOrigin Origin { get; }
    public CheckpointSigner Signer { get; }
    public NoteVerifierKey Verifier => Signer.Verifier;
    public ulong Size => (ulong)_records.Count;
    public IReadOnlyList<byte[]> Records => _records;

    public ulong Register(TestClient client) => Add(client.Registration(Origin), NoPayload.Instance);

    /// <summary>Appends record bytes as they are (e.g. copied from another log).</summary>
    public ulong AddRaw(byte[] record) => Add(LeafRecord.Parse(record), NoPayload.Instance);

    /// <summary>An individually signed entry; contents over 64 KiB become blobs.</summary>
    public ulong AddEntry(TestClient client, byte[] content, string mediaType = "text/plain")
    {
        var (descriptor, slot) = Describe(client, content, mediaType);
        var signature = client.Ed25519.Sign(SigningMessages.Entry(Origin, descriptor));
        return Add(new EntryRecord(descriptor, signature), slot);
    }

    /// <summary>An entry whose record carries an arbitrary (e.g. forged) signature.</summary>
    public ulong AddEntrySignedBy(TestClient client, Crypto.Ed25519.Ed25519SecretKey signer, byte[] content)
    {
        var (descriptor, slot) = Describe(client, content, "text/plain");
        return Add(new EntryRecord(descriptor, signer.Sign(SigningMessages.Entry(Origin, descriptor))), slot);
    }

    /// <summary>One client's batch under one Ed25519 signature over the batch root.</summary>
    public BatchRoot AddClientBatch(TestClient client, IReadOnlyList<byte[]> contents)
    {
        var described = contents.Select(c => Describe(client, c, "application/octet-stream")).ToList();
        var tree = BatchTree.Build(described.Select(d => d.Descriptor).ToList());
        var first = Size;
        for (var i = 0; i < described.Count; i++) Add(new BatchedEntryRecord(described[i].Descriptor, tree.Root, (uint)i), described[i].Slot);
        var signature = client.Ed25519.Sign(SigningMessages.Batch(Origin, client.Id, tree.Root, described.Count));
        AddCertificate(new SingleClientBatchCertificate(tree.Root, first, (uint)described.Count, client.Id, signature));
        return tree.Root;
    }

    /// <summary>A broker's distilled batch: participants sign with BLS; stragglers sign their own entries.</summary>
    public BatchRoot AddDistilledBatch(IReadOnlyList<(TestClient Client, byte[] Content)> items, ISet<ClientId>? stragglers = null, ClientId? withholdsShare = null)
    {
        stragglers ??= new HashSet<ClientId>();
        var described = items.Select(i => (i.Client, Item: Describe(i.Client, i.Content, "application/vnd.vote"))).ToList();
        described.Sort((a, b) => EntryDescriptor.CompareCanonical(a.Item.Descriptor, b.Item.Descriptor));
        var tree = BatchTree.Build(described.Select(d => d.Item.Descriptor).ToList());
        var first = Size;
        for (var i = 0; i < described.Count; i++) Add(new BatchedEntryRecord(described[i].Item.Descriptor, tree.Root, (uint)i), described[i].Item.Slot);
        var message = SigningMessages.Distilled(Origin, tree.Root, described.Count);
        var participants = described.Select(d => d.Client).Where(c => !stragglers.Contains(c.Id)).DistinctBy(c => c.Id).OrderBy(c => c.Id).ToList();
        var aggregate = Bls.Aggregate(participants.Where(p => p.Id != withholdsShare).Select(p => p.Bls.Sign(message)).ToArray());
        var straggling = described.Where(d => stragglers.Contains(d.Client.Id))
            .Select(d => new Straggler(d.Client.Id, d.Item.Descriptor.Sequence, d.Client.Ed25519.Sign(SigningMessages.Entry(Origin, d.Item.Descriptor))))
            .ToList();
        AddCertificate(new DistilledBatchCertificate(tree.Root, first, (uint)described.Count, participants.Select(p => p.Id).ToList(), aggregate, straggling));
        return tree.Root;
    }

    /// <summary>Erases <paramref name="target"/>: a public notice leaf, a tombstone in its slot, its blob gone.</summary>
    public ulong Redact(ulong target, string reason = "data subject request")
    {
        var notice = Add(new RedactionRecord(target, DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000), reason, "GDPR Art. 17"), NoPayload.Instance);
        var descriptor = LeafRecord.Parse(_records[(int)target]) switch
        {
            EntryRecord e => e.Descriptor,
            BatchedEntryRecord b => b.Descriptor,
            _ => throw new InvalidOperationException("only entries can be erased"),
        };
        if (_slots[(int)target] is BlobPayload) _blobs.Remove(BlobPayload.KeyFor(descriptor.Commitment));
        _slots[(int)target] = new Tombstone(notice);
        return notice;
    }

    /// <summary>Writes every file for the current size; the checkpoint last. Returns the checkpoint bytes.</summary>
    public async Task<byte[]> PublishAsync(IObjectStore store)
    {
        var tree = new IncrementalTree();
        var hashes = _records.Select(r => Rfc6962.HashLeaf(r)).ToArray();
        var update = tree.Append(hashes);
        foreach (var (key, blob) in _blobs) await store.PutBytesAsync(key, blob, Immutable);
        foreach (var (key, certificate) in _certificates) await store.PutBytesAsync(key, certificate, Immutable);
        foreach (var tile in update.Tiles) await store.PutBytesAsync(tile.Id.Path, tile.Data, Immutable);
        for (ulong t = 0; t * 256 < Size; t++)
        {
            var width = (int)Math.Min(256, Size - t * 256);
            await store.PutBytesAsync(TileId.Entries(t, width).Path, Bundle(t, width), Immutable);
            var payload = new PayloadFile(t * 256, _slots.Skip((int)(t * 256)).Take(width).ToList());
            await store.PutBytesAsync(PayloadFile.KeyFor(t * 256), payload.ToBytes(), Mutable);
        }
        var checkpoint = Signer.Sign(new TreeSize(Size), tree.Root);
        await store.PutBytesAsync("checkpoint", checkpoint, new ObjectMetadata("text/plain; charset=utf-8", "no-cache"));
        return checkpoint;
    }

    public async Task<byte[]> PublishToDirectoryAsync(string directory)
    {
        await using var store = ObjectStores.Open("file://" + directory);
        return await PublishAsync(store);
    }

    /// <summary>The log's signer key, for a test that forks the log under the same key.</summary>
    public string ExportKey() => _key.ExportPrivateKey();

    public void Dispose() => _key.Dispose();

    private byte[] Bundle(ulong tile, int width)
    {
        using var output = new MemoryStream();
        Span<byte> length = stackalloc byte[2];
        for (var i = 0; i < width; i++)
        {
            var record = _records[(int)(tile * 256) + i];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)record.Length);
            output.Write(length);
            output.Write(record);
        }
        return output.ToArray();
    }

    private (EntryDescriptor Descriptor, PayloadSlot Slot) Describe(TestClient client, byte[] content, string mediaType)
    {
        var salt = Salt.NewRandom();
        var descriptor = new EntryDescriptor(client.Id, client.NextSequence(), Commitment.Compute(salt, content), (ulong)content.Length, new MediaType(mediaType));
        if (content.Length <= PayloadSlot.InlineLimit) return (descriptor, new InlinePayload(salt, content));
        _blobs[BlobPayload.KeyFor(descriptor.Commitment)] = content;
        return (descriptor, new BlobPayload(salt, (ulong)content.Length));
    }

    private void AddCertificate(BatchCertificate certificate) => _certificates[BatchCertificate.KeyFor(certificate.Root)] = certificate.ToBytes();

    private ulong Add(LeafRecord record, PayloadSlot slot)
    {
        _records.Add(record.ToBytes());
        _slots.Add(slot);
        return Size - 1;
    }
}
