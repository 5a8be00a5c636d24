using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Reader.Sources;
using Stele.Reader.Tests.Support;
using Stele.Reader.Verification;

namespace Stele.Reader.Tests;

/// <summary>`verify --full`: every missing or altered file is named, several at once, and nothing intact is blamed.</summary>
public sealed class FullCheckTests : PublishedSampleTests
{
    // The sample has 378 leaves: tile 0 is full, tile 1 partial (122); a level-1 partial tile holds tile 0's subtree root.
    private async Task<FileCheckReport> CheckAsync()
    {
        await using var source = new DirectoryLogSource(Dir.Path);
        return await FileCheck.CheckAsync(source, Sample.Log.Verifier);
    }

    private string LastBundle => "tile/entries/001.p/" + (Sample.Log.Size - 256);
    private string LastLevelZeroTile => "tile/0/001.p/" + (Sample.Log.Size - 256);

    private string BlobKeyOf(ulong leaf) => BlobPayload.KeyFor(((EntryRecord)LeafRecord.Parse(Sample.Log.Records[(int)leaf])).Descriptor.Commitment);

    [Fact]
    public async Task AnIntactLogHasNoProblemsAndEveryFileIsCounted()
    {
        var report = await CheckAsync();
        Assert.True(report.IsIntact, string.Join("\n", report.Problems));
        // checkpoint, 2 bundles, 2 level-0 tiles, 2 payload files, 1 level-1 tile, 2 certificates, 1 blob
        Assert.Equal(11, report.FilesChecked);
    }

    [Fact]
    public async Task FiveDamagedFilesAreAllNamedAndNothingElse()
    {
        File.Delete(Dir.File("tile/0/000"));
        Flip(LastBundle, 2 + 4); // inside the first record's client id: still parses, hashes differently
        var payload = PayloadFile.Parse(File.ReadAllBytes(Dir.File("payload/000")));
        var slots = payload.Slots.ToArray();
        var opening = (InlinePayload)slots[100];
        slots[100] = opening with { Content = opening.Content.ToArray().Append((byte)'!').ToArray() };
        File.WriteAllBytes(Dir.File("payload/000"), new PayloadFile(0, slots).ToBytes());
        File.Delete(Dir.File(BlobKeyOf(Sample.BlobLeaf)));
        var certificate = Directory.EnumerateFiles(Dir.File("batch")).First();
        File.Delete(certificate);

        var report = await CheckAsync();

        var byKey = report.Problems.ToLookup(p => p.Key);
        Assert.Equal(
            new[] { "batch/" + Path.GetFileName(certificate), BlobKeyOf(Sample.BlobLeaf), "payload/000", LastBundle, "tile/0/000" }.Order(StringComparer.Ordinal),
            byKey.Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.Equal(FileProblemKind.Missing, byKey["tile/0/000"].Single().Kind);
        Assert.Equal(FileProblemKind.Altered, byKey[LastBundle].First().Kind);
        Assert.Equal(256UL, byKey[LastBundle].First().Leaf);
        Assert.Equal(100UL, byKey["payload/000"].Single().Leaf);
        Assert.Contains("do not open", byKey["payload/000"].Single().Detail);
        Assert.Equal(FileProblemKind.Missing, byKey[BlobKeyOf(Sample.BlobLeaf)].Single().Kind);
        Assert.Equal(FileProblemKind.Missing, byKey["batch/" + Path.GetFileName(certificate)].Single().Kind);
    }

    [Fact]
    public async Task TheTreeAboveTellsAnAlteredBundleFromAnAlteredTile()
    {
        Flip("tile/entries/000", 2 + 4);   // full tile: the level-1 tile's node says the bundle is wrong
        Flip(LastLevelZeroTile, 32 * 7); // last tile: the checkpoint root says the level-0 tile is wrong

        var report = await CheckAsync();

        Assert.Equal(2, report.Problems.Count);
        var bundle = report.Problems.Single(p => p.Key == "tile/entries/000");
        Assert.Equal(0UL, bundle.Leaf);
        Assert.Contains("intact) level-0 tile", bundle.Detail);
        var tile = report.Problems.Single(p => p.Key == LastLevelZeroTile);
        Assert.Equal(256UL + 7, tile.Leaf);
        Assert.Contains("intact) bundle", tile.Detail);
    }

    [Fact]
    public async Task UpperTilesAndTheRootAreChecked()
    {
        Flip("tile/1/000.p/1", 5);

        var report = await CheckAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal("tile/1/000.p/1", problem.Key);
        Assert.Equal(FileProblemKind.Altered, problem.Kind);
    }

    [Fact]
    public async Task AnErasedBlobLeftBehindIsReportedButItsAbsenceNeverIs()
    {
        Assert.False(File.Exists(Dir.File(BlobKeyOf(Sample.ErasedBlobLeaf))));
        Assert.True((await CheckAsync()).IsIntact);

        Directory.CreateDirectory(Path.GetDirectoryName(Dir.File(BlobKeyOf(Sample.ErasedBlobLeaf)))!);
        File.WriteAllBytes(Dir.File(BlobKeyOf(Sample.ErasedBlobLeaf)), SampleLog.Bytes(70_000, 9));

        var problem = Assert.Single((await CheckAsync()).Problems);
        Assert.Equal(FileProblemKind.NotErased, problem.Kind);
        Assert.Equal(BlobKeyOf(Sample.ErasedBlobLeaf), problem.Key);
    }

    [Fact]
    public async Task ATombstoneWithoutItsNoticeIsReported()
    {
        var payload = PayloadFile.Parse(File.ReadAllBytes(Dir.File("payload/000")));
        var slots = payload.Slots.ToArray();
        slots[(int)Sample.ErasedBlobLeaf] = new Tombstone(Sample.FirstEntry);
        File.WriteAllBytes(Dir.File("payload/000"), new PayloadFile(0, slots).ToBytes());

        var problem = Assert.Single((await CheckAsync()).Problems);
        Assert.Equal("payload/000", problem.Key);
        Assert.Equal(Sample.ErasedBlobLeaf, problem.Leaf);
        Assert.Contains("not a redaction notice for this leaf", problem.Detail);
    }
}
