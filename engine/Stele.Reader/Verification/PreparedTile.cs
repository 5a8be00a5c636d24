using Stele.Domain;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Tlog;
using Stele.Tlog.Tiles;

namespace Stele.Reader.Verification;

/// <summary>
/// The part of checking one tile that depends on nothing else in the log, so it runs on any core while
/// earlier tiles are still being checked in order: bundle split, record parsing, leaf hashes against the
/// level-0 tile, payload parsing and every opening against its record. Problems are kept, not thrown, so
/// the in-order pass reports the first one in leaf order.
/// </summary>
internal sealed class PreparedTile
{
    private const int Width = TileId.FullWidth;

    private PreparedTile(ulong index, int width, string bundleKey, string hashTileKey, string payloadKey)
    {
        (Index, TileWidth, BundleKey, HashTileKey, PayloadKey) = (index, width, bundleKey, hashTileKey, payloadKey);
        FirstLeaf = index * Width;
    }

    public ulong Index { get; }
    public int TileWidth { get; }
    public ulong FirstLeaf { get; }
    public string BundleKey { get; }
    public string HashTileKey { get; }
    public string PayloadKey { get; }

    /// <summary>A problem with the bundle or the level-0 tile (reported before the tree is extended).</summary>
    public LogVerificationException? TreeProblem { get; private set; }

    /// <summary>A problem with the payload file as a whole.</summary>
    public LogVerificationException? PayloadProblem { get; private set; }

    public Hash[] LeafHashes { get; private set; } = [];
    public LeafRecord[] Records { get; private set; } = [];
    public IReadOnlyList<PayloadSlot> Slots { get; private set; } = [];

    /// <summary>Per leaf: why its payload slot does not fit its record, or null.</summary>
    public string?[] SlotProblems { get; private set; } = [];

    public byte[] PayloadBytes { get; private set; } = [];
    /// <summary>SHA-256 of the three files, when asked for (mirroring).</summary>
    public byte[] BundleDigest { get; private set; } = [];
    public byte[] HashTileDigest { get; private set; } = [];
    public byte[] PayloadDigest { get; private set; } = [];

    public static PreparedTile Prepare(ulong index, int width, string bundleKey, byte[] bundle, string hashTileKey, byte[] hashTile, string payloadKey, byte[] payload,
        bool digests)
    {
        var tile = new PreparedTile(index, width, bundleKey, hashTileKey, payloadKey);
        tile.TreeProblem = tile.PrepareTree(bundle, hashTile);
        if (tile.TreeProblem is null) tile.PayloadProblem = tile.PreparePayload(payload);
        if (digests && tile.TreeProblem is null && tile.PayloadProblem is null)
            (tile.BundleDigest, tile.HashTileDigest, tile.PayloadDigest) = (Digests.Sha256(bundle), Digests.Sha256(hashTile), Digests.Sha256(payload));
        return tile;
    }

    private LogVerificationException? PrepareTree(byte[] bundle, byte[] hashTile)
    {
        var read = BundleReading.Read(bundle, TileWidth, FirstLeaf);
        if (read.SplitProblem is { } splitProblem) return new LogVerificationException(BundleKey, null, splitProblem);
        if (read.MalformedProblem is { } malformed) return new LogVerificationException(BundleKey, read.MalformedLeaf, malformed);
        var (leafHashes, records) = (read.LeafHashes!, read.Records!);
        if (CompareLevelZero(hashTile, leafHashes) is { } tileProblem) return tileProblem;
        (LeafHashes, Records) = (leafHashes, records);
        return null;
    }

    private LogVerificationException? CompareLevelZero(byte[] hashTile, Hash[] leafHashes)
    {
        var expected = Hash.AsBytes(leafHashes);
        if (hashTile.AsSpan().SequenceEqual(expected)) return null;
        if (hashTile.Length != expected.Length)
            return new LogVerificationException(HashTileKey, null, $"has {hashTile.Length} bytes; {TileWidth} leaf hashes take {expected.Length}");
        var at = hashTile.AsSpan().CommonPrefixLength(expected) / Hash.Length;
        return new LogVerificationException(HashTileKey, FirstLeaf + (ulong)at, $"leaf hash differs from the hash of the record in {BundleKey}");
    }

    private LogVerificationException? PreparePayload(byte[] bytes)
    {
        PayloadFile payload;
        try
        {
            payload = PayloadFile.Parse(bytes);
        }
        catch (LogFormatException e)
        {
            return new LogVerificationException(PayloadKey, null, e.Message);
        }
        if (payload.FirstLeaf != FirstLeaf) return new LogVerificationException(PayloadKey, null, $"starts at leaf {payload.FirstLeaf}, not {FirstLeaf}");
        if (payload.Slots.Count < TileWidth)
            return new LogVerificationException(PayloadKey, null, $"has {payload.Slots.Count} slots; the checkpoint covers {TileWidth} leaves of it");
        var problems = new string?[TileWidth];
        for (var i = 0; i < TileWidth; i++) problems[i] = SlotProblem(Records[i], payload.Slots[i]);
        (Slots, SlotProblems, PayloadBytes) = (payload.Slots, problems, bytes);
        return null;
    }

    /// <summary>Whether a slot fits its record on its own (tombstones and blobs are followed up in order).</summary>
    internal static string? SlotProblem(LeafRecord record, PayloadSlot slot)
    {
        var descriptor = record switch
        {
            EntryRecord e => e.Descriptor,
            BatchedEntryRecord b => b.Descriptor,
            _ => null,
        };
        if (descriptor is null)
            return slot is NoPayload ? null : "a registration or redaction notice has content in its payload slot";
        return slot switch
        {
            InlinePayload inline => inline.Opens(descriptor.Commitment, descriptor.Size) ? null : "inline content and salt do not open the entry's commitment and size",
            BlobPayload blob => blob.Size == descriptor.Size ? null : $"blob slot says {blob.Size} bytes; the entry's size is {descriptor.Size}",
            Tombstone => null,
            _ => "the entry has no opening in its payload slot",
        };
    }
}
