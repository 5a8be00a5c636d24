using Stele.Domain.Batches;
using Stele.Domain.Payloads;
using Stele.Reader.Sources;
using Stele.Reader.Tests.Support;
using Stele.Reader.Verification;

namespace Stele.Reader.Tests;

/// <summary>Every kind of damage is found, named by file (and leaf), and never reported as verified.</summary>
public sealed class TamperTests : PublishedSampleTests
{
    private async Task<LogVerificationException> VerifyFailsAsync()
    {
        await using var source = new DirectoryLogSource(Dir.Path);
        return await Assert.ThrowsAnyAsync<LogVerificationException>(() => LogReader.VerifyAsync(source, Sample.Log.Verifier));
    }

    [Fact]
    public async Task AFlippedByteInALevelZeroTileNamesTheTileAndLeaf()
    {
        Flip("tile/0/000", 32 * 5 + 3);
        var e = await VerifyFailsAsync();
        Assert.Equal("tile/0/000", e.File);
        Assert.Equal(5UL, e.Leaf);
        Assert.Contains("leaf hash differs", e.Message);
    }

    [Fact]
    public async Task AFlippedByteInABundleIsCaught()
    {
        // Byte 4 of the first entry is inside the registration's client id: it still parses, so the hash must catch it.
        Flip("tile/entries/000", 2 + 4);
        var e = await VerifyFailsAsync();
        Assert.Equal("tile/0/000", e.File);
        Assert.Equal(0UL, e.Leaf);
    }

    [Fact]
    public async Task ATruncatedBundleIsCaught()
    {
        var path = Dir.File("tile/entries/000");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = await VerifyFailsAsync();
        Assert.Equal("tile/entries/000", e.File);
        Assert.Contains("ends", e.Message);
    }

    [Fact]
    public async Task AFlippedByteInInlineContentIsCaught()
    {
        // Leaf 256 is an inline entry: its content starts after magic, first leaf, count, tag, salt and length.
        var key = PayloadFile.KeyFor(256);
        Flip(key, 17 + 8 + 2 + 1 + 32 + 4);
        var e = await VerifyFailsAsync();
        Assert.Equal(key, e.File);
        Assert.Equal(256UL, e.Leaf);
        Assert.Contains("do not open the entry's commitment", e.Message);
    }

    [Fact]
    public async Task AFlippedByteInABlobIsCaught()
    {
        var key = Directory.EnumerateFiles(Dir.File("blob"), "*", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(key);
        bytes[123_456] ^= 0x80;
        File.WriteAllBytes(key, bytes);
        var e = await VerifyFailsAsync();
        Assert.StartsWith("blob/", e.File);
        Assert.Equal(Sample.BlobLeaf, e.Leaf);
        Assert.Contains("does not match the entry's commitment", e.Message);
    }

    [Fact]
    public async Task AMissingBlobIsCaught()
    {
        File.Delete(Directory.EnumerateFiles(Dir.File("blob"), "*", SearchOption.AllDirectories).Single());
        var e = await VerifyFailsAsync();
        Assert.Contains("blob missing", e.Message);
    }

    [Fact]
    public async Task AFlippedByteInEitherBatchCertificateIsCaught()
    {
        foreach (var path in Directory.EnumerateFiles(Dir.File("batch")))
        {
            var original = File.ReadAllBytes(path);
            var bytes = (byte[])original.Clone();
            bytes[^1] ^= 0x01; // inside a signature (Ed25519 or the last straggler's)
            File.WriteAllBytes(path, bytes);
            var e = await VerifyFailsAsync();
            Assert.Equal("batch/" + Path.GetFileName(path), e.File);
            Assert.Contains("signature", e.Message);
            File.WriteAllBytes(path, original);
        }
    }

    [Fact]
    public async Task AFlippedByteInTheCheckpointSignatureIsCaught()
    {
        var text = File.ReadAllText(Dir.File("checkpoint"));
        var at = text.LastIndexOf(' ') + 10;
        var chars = text.ToCharArray();
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        File.WriteAllText(Dir.File("checkpoint"), new string(chars));
        var e = await VerifyFailsAsync();
        Assert.Equal("checkpoint", e.File);
    }

    [Fact]
    public async Task MissingFilesAreNamed()
    {
        foreach (var key in new[] { "tile/0/000", "tile/entries/001.p/" + (Sample.Log.Size - 256), "payload/000", "checkpoint" })
        {
            var bytes = File.ReadAllBytes(Dir.File(key));
            File.Delete(Dir.File(key));
            var e = await VerifyFailsAsync();
            Assert.Equal(key, e.File);
            Assert.Contains("missing", e.Message);
            File.WriteAllBytes(Dir.File(key), bytes);
        }
    }

    [Fact]
    public async Task ATombstoneWithoutItsNoticeIsCaught()
    {
        // Point the erased blob's tombstone at a leaf that is not its notice.
        var key = PayloadFile.KeyFor(0);
        var payload = PayloadFile.Parse(File.ReadAllBytes(Dir.File(key)));
        var slots = payload.Slots.ToArray();
        slots[(int)Sample.ErasedBlobLeaf] = new Tombstone(Sample.FirstEntry);
        File.WriteAllBytes(Dir.File(key), new PayloadFile(0, slots).ToBytes());
        var e = await VerifyFailsAsync();
        Assert.Equal(Sample.ErasedBlobLeaf, e.Leaf);
        Assert.Contains("not a redaction notice for this leaf", e.Message);
    }
}

/// <summary>Logs that are well-formed and consistently hashed, but carry bad signatures or replays.</summary>
public sealed class ForgedLogTests
{
    private static async Task<LogVerificationException> PublishAndFailAsync(TestLog log)
    {
        using var dir = new TempDirectory();
        await log.PublishToDirectoryAsync(dir.Path);
        await using var source = new DirectoryLogSource(dir.Path);
        return await Assert.ThrowsAnyAsync<LogVerificationException>(() => LogReader.VerifyAsync(source, log.Verifier));
    }

    [Fact]
    public async Task AForgedEntrySignatureIsCaughtAtItsLeaf()
    {
        using var log = new TestLog();
        using var alice = new TestClient();
        using var mallory = new TestClient();
        log.Register(alice);
        log.Register(mallory);
        log.AddEntry(alice, [1]);
        var forged = log.AddEntrySignedBy(alice, mallory.Ed25519, [2]);
        var e = await PublishAndFailAsync(log);
        Assert.Equal(forged, e.Leaf);
        Assert.Contains("entry signature does not verify", e.Message);
    }

    [Fact]
    public async Task AnEntryFromAnUnregisteredClientIsCaught()
    {
        using var log = new TestLog();
        using var stranger = new TestClient();
        log.AddEntry(stranger, [1]);
        var e = await PublishAndFailAsync(log);
        Assert.Equal(0UL, e.Leaf);
        Assert.Contains("not registered", e.Message);
    }

    [Fact]
    public async Task ABatchWithAMissingBlsShareIsCaught()
    {
        using var log = new TestLog();
        using var alice = new TestClient();
        using var bob = new TestClient();
        log.Register(alice);
        log.Register(bob);
        log.AddDistilledBatch([(alice, [1]), (bob, [2])]);
        var root = log.AddDistilledBatch([(alice, [3]), (bob, [4])], withholdsShare: bob.Id);
        var e = await PublishAndFailAsync(log);
        Assert.Equal(BatchCertificate.KeyFor(root), e.File);
        Assert.Contains("aggregate BLS signature of 2 participants does not verify", e.Message);
    }

    [Fact]
    public async Task AReplayedSequenceNumberIsCaught()
    {
        using var log = new TestLog();
        using var alice = new TestClient();
        log.Register(alice);
        log.AddEntry(alice, [1]);
        alice.Rewind();
        var replay = log.AddEntry(alice, [2]);
        var e = await PublishAndFailAsync(log);
        Assert.Equal(replay, e.Leaf);
        Assert.Contains("replay", e.Message);
    }

    [Fact]
    public async Task AForgedRegistrationIsCaught()
    {
        using var log = new TestLog();
        using var alice = new TestClient();
        using var other = new TestLog("another.example/log");
        other.Register(alice); // self-signed for another origin: replayed here it must fail
        log.AddRaw(other.Records[0]);
        var e = await PublishAndFailAsync(log);
        Assert.Equal(0UL, e.Leaf);
        Assert.Contains("self-signature does not verify", e.Message);
    }
}
