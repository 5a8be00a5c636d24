using Stele.Domain.Payloads;
using Stele.Reader.Sources;
using Stele.Reader.Tests.Support;
using Stele.Reader.Verification;
using Stele.Storage;

namespace Stele.Reader.Tests;

/// <summary>A mirror follows erasures (tombstone in, blob out) and refuses any other change to a payload slot.</summary>
public sealed class MirrorErasureTests : IDisposable
{
    private readonly TestLog _log = new();
    private readonly TestClient _alice = new();
    private readonly TempDirectory _src = new();
    private readonly TempDirectory _dst = new();
    private readonly ulong _small, _large;

    public MirrorErasureTests()
    {
        _log.Register(_alice);
        _small = _log.AddEntry(_alice, "my vote: yes"u8.ToArray());
        _large = _log.AddEntry(_alice, SampleLog.Bytes(100_000, 3), "application/octet-stream");
        _log.AddEntry(_alice, [7, 7, 7]);
    }

    public void Dispose()
    {
        _log.Dispose();
        _alice.Dispose();
        _src.Dispose();
        _dst.Dispose();
    }

    private async Task<Mirror.MirrorResult> MirrorAsync()
    {
        await using var source = new DirectoryLogSource(_src.Path);
        await using var store = ObjectStores.Open("file://" + _dst.Path);
        return await LogReader.MirrorAsync(source, store, _log.Verifier);
    }

    private static string BlobFile(TempDirectory dir) => Directory.EnumerateFiles(dir.File("blob"), "*", SearchOption.AllDirectories).Single();

    [Fact]
    public async Task AnErasureAtTheSourceReplacesTheLocalOpeningAndDeletesTheLocalBlob()
    {
        await _log.PublishToDirectoryAsync(_src.Path);
        await MirrorAsync();
        var blob = Path.GetRelativePath(_src.Path, BlobFile(_src));
        Assert.True(File.Exists(_dst.File(blob)));

        var smallNotice = _log.Redact(_small, "withdrawn consent");
        var largeNotice = _log.Redact(_large, "court order");
        await _log.PublishToDirectoryAsync(_src.Path);
        File.Delete(_src.File(blob)); // the publisher deletes the erased blob

        var result = await MirrorAsync();

        Assert.Equal(1, result.ErasedBlobsRemoved);
        Assert.False(File.Exists(_dst.File(blob)));
        var payload = PayloadFile.Parse(File.ReadAllBytes(_dst.File("payload/000")));
        Assert.Equal(new Tombstone(smallNotice), payload.Slots[(int)_small]);
        Assert.Equal(new Tombstone(largeNotice), payload.Slots[(int)_large]);
        Assert.Equal(File.ReadAllBytes(_src.File("payload/000")), File.ReadAllBytes(_dst.File("payload/000")));
        await using var mirror = new DirectoryLogSource(_dst.Path);
        var verified = await LogReader.VerifyAsync(mirror, _log.Verifier);
        Assert.Equal([_small, _large], verified.Erased.Select(e => e.Leaf));
        Assert.Equal(["withdrawn consent", "court order"], verified.Erased.Select(e => e.Reason));
        Assert.All(verified.Erased, e => Assert.Equal("GDPR Art. 17", e.LegalBasis));
    }

    [Fact]
    public async Task ASourceThatResurrectsErasedContentIsRefusedAndNothingIsWritten()
    {
        var original = PayloadFile.Parse(await PublishAndReadPayloadAsync());
        _log.Redact(_small);
        await _log.PublishToDirectoryAsync(_src.Path);
        await MirrorAsync();
        var before = DirectorySnapshot.Take(_dst.Path);

        // The source puts the erased opening back: on its own it verifies (the opening is valid), but a
        // mirror that saw the tombstone knows the slot went backwards.
        var slots = PayloadFile.Parse(File.ReadAllBytes(_src.File("payload/000"))).Slots.ToArray();
        slots[(int)_small] = original.Slots[(int)_small];
        _log.AddEntry(_alice, [8]);
        await PublishKeepingPayloadAsync(slots);

        var e = await Assert.ThrowsAsync<SplitViewException>(MirrorAsync);
        Assert.Equal("payload/000", e.File);
        Assert.Contains($"leaf {_small}: the payload slot changed from a tombstone", e.Message);
        Assert.Equal(before.Keys, DirectorySnapshot.Take(_dst.Path).Keys);
        Assert.Equal(before["checkpoint"], File.ReadAllBytes(_dst.File("checkpoint")));
        Assert.Equal(before["payload/000"], File.ReadAllBytes(_dst.File("payload/000")));
    }

    [Fact]
    public async Task ASourceThatSwapsAnOpeningForAnotherIsRefused()
    {
        await _log.PublishToDirectoryAsync(_src.Path);
        await MirrorAsync();
        var mirrored = File.ReadAllBytes(_dst.File("payload/000"));

        // The mirror's copy holds another opening for a leaf than the source serves: one of them was rewritten.
        var local = PayloadFile.Parse(mirrored);
        var slots = local.Slots.ToArray();
        slots[(int)_small] = new InlinePayload(Domain.Content.Salt.NewRandom(), "my vote: no!"u8.ToArray());
        File.WriteAllBytes(_dst.File("payload/000"), new PayloadFile(0, slots).ToBytes());

        var e = await Assert.ThrowsAsync<SplitViewException>(MirrorAsync);
        Assert.Equal("payload/000", e.File);
        Assert.Contains("changed from an inline opening to an inline opening", e.Message);
    }

    private async Task<byte[]> PublishAndReadPayloadAsync()
    {
        await _log.PublishToDirectoryAsync(_src.Path);
        return File.ReadAllBytes(_src.File("payload/000"));
    }

    /// <summary>Publishes the grown log, then puts back the hand-made payload slots (plus the new one).</summary>
    private async Task PublishKeepingPayloadAsync(PayloadSlot[] slots)
    {
        await _log.PublishToDirectoryAsync(_src.Path);
        var published = PayloadFile.Parse(File.ReadAllBytes(_src.File("payload/000")));
        File.WriteAllBytes(_src.File("payload/000"), new PayloadFile(0, [.. slots, .. published.Slots.Skip(slots.Length)]).ToBytes());
    }
}
