using Stele.Reader.Sources;
using Stele.Reader.Tests.Support;

namespace Stele.Reader.Tests;

/// <summary>A published directory behind `python3 -m http.server` is a complete board for `stele verify` and `stele mirror`.</summary>
public sealed class StaticHostCliTests : IAsyncLifetime
{
    private readonly SampleLog _sample = new(300);
    private readonly TempDirectory _published = new();
    private StaticHttpServer _server = null!;

    private string Key => _sample.Log.Verifier.ToString();

    public async Task InitializeAsync()
    {
        await _sample.Log.PublishToDirectoryAsync(_published.Path);
        _server = await StaticHttpServer.StartAsync(_published.Path);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        _sample.Dispose();
        _published.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task VerifyOverPlainHttpReportsTheErasedLeavesWithTheirNotices()
    {
        var (exit, stdout, stderr) = await SteleProcess.RunAsync("verify", _server.Url, "--key", Key);

        Assert.True(exit == 0, stderr);
        Assert.Contains($"verified  {_sample.Log.Origin}", stdout);
        Assert.Contains($"size      {_sample.Log.Size} leaves", stdout);
        Assert.Contains($"leaf {_sample.ErasedInlineLeaf} erased", stdout);
        Assert.Contains("reason \"data subject request\", basis \"GDPR Art. 17\"", stdout);
        Assert.Equal("", stderr); // not a terminal: no progress bar
    }

    [Fact]
    public async Task VerifyFullOverPlainHttpListsEveryDamagedFileAndFails()
    {
        File.Delete(_published.File("tile/0/000"));
        var certificate = Directory.EnumerateFiles(_published.File("batch")).First();
        File.Delete(certificate);

        var (exit, stdout, stderr) = await SteleProcess.RunAsync("verify", "--full", _server.Url, "--key", Key);

        Assert.Equal(2, exit);
        Assert.Contains("MISSING    tile/0/000:", stdout);
        Assert.Contains("MISSING    batch/" + Path.GetFileName(certificate), stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("FAILED: 2 of", line);
    }

    [Fact]
    public async Task VerifyFullOfAnIntactLogVerifiesToo()
    {
        var (exit, stdout, stderr) = await SteleProcess.RunAsync("verify", "--full", _server.Url, "--key", Key);

        Assert.True(exit == 0, stderr);
        Assert.Contains("every file the checkpoint implies is present and intact", stdout);
        Assert.Contains("verified", stdout);
    }

    [Fact]
    public async Task MirrorFromPlainHttpCopiesEveryPublishedFileByteForByte()
    {
        using var mirror = new TempDirectory();

        var (exit, stdout, stderr) = await SteleProcess.RunAsync("mirror", _server.Url, mirror.Path, "--key", Key);

        Assert.True(exit == 0, stderr);
        Assert.Contains("mirrored", stdout);
        foreach (var (key, bytes) in DirectorySnapshot.Take(_published.Path).Where(f => !f.Key.StartsWith(".stele-store/", StringComparison.Ordinal)))
            Assert.True(File.Exists(mirror.File(key)) && bytes.AsSpan().SequenceEqual(File.ReadAllBytes(mirror.File(key))), $"{key} not mirrored");
        await using var copy = new DirectoryLogSource(mirror.Path);
        Assert.Equal(_sample.Log.Size, (await LogReader.VerifyAsync(copy, _sample.Log.Verifier)).Size.Value);

        var again = await SteleProcess.RunAsync("mirror", _server.Url, mirror.Path, "--key", Key);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("files     0 copied", again.Stdout);
    }

    [Fact]
    public async Task MirrorFromATamperedHostStopsWithAClearReport()
    {
        using var mirror = new TempDirectory();
        Assert.Equal(0, (await SteleProcess.RunAsync("mirror", _server.Url, mirror.Path, "--key", Key)).ExitCode);
        var before = DirectorySnapshot.Take(mirror.Path);
        var bytes = File.ReadAllBytes(_published.File("tile/entries/000"));
        bytes[6] ^= 1;
        File.WriteAllBytes(_published.File("tile/entries/000"), bytes);

        var (exit, _, stderr) = await SteleProcess.RunAsync("mirror", _server.Url, mirror.Path, "--key", Key);

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("FAILED: tile/0/000: leaf 0", line);
        Assert.Equal(before.Keys, DirectorySnapshot.Take(mirror.Path).Keys);
    }
}
