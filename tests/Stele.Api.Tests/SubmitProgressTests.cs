using Stele.Client;
using Stele.Domain.Content;

namespace Stele.Api.Tests;

/// <summary>The client's progress reports while a streamed content is hashed, then uploaded to a real board.</summary>
[Collection(nameof(EntryTests))] // the 50 MB test there measures process-wide allocations
public sealed class SubmitProgressTests : IAsyncLifetime
{
    private const int Size = 3 << 20;

    private AdmittedClient _setup = null!;

    public async Task InitializeAsync() => _setup = await AdmittedClient.StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_seekable_stream_reports_hashing_then_uploading_up_to_its_size()
    {
        var reports = new Recorder();
        var result = await _setup.Client.SubmitAsync(_setup.Keys, new MemoryStream(Content()), MediaType.OctetStream, new SubmitOptions(Progress: reports));

        Assert.Equal((ulong)Size, result.Descriptor.Size);
        var hashing = reports.Of(SubmitPhase.Hashing);
        var uploading = reports.Of(SubmitPhase.Uploading);
        Assert.True(hashing.Count > 1, "hashing reported once or never");
        Assert.All(hashing, r => Assert.Equal((ulong)Size, r.TotalBytes));
        Assert.Equal((ulong)Size, hashing[^1].BytesDone);
        Assert.Equal((ulong)Size, uploading[^1].BytesDone);
        Assert.True(reports.FirstIndexOf(SubmitPhase.Uploading) > reports.LastIndexOf(SubmitPhase.Hashing), "uploading began before hashing ended");
        Assert.True(hashing.Zip(hashing.Skip(1)).All(p => p.First.BytesDone < p.Second.BytesDone), "hashing progress went backwards");
    }

    [Fact]
    public async Task A_pipe_reports_an_unknown_total_while_hashing_and_the_size_while_uploading()
    {
        var reports = new Recorder();
        await using var pipe = new NonSeekable(Content());
        await _setup.Client.SubmitAsync(_setup.Keys, pipe, MediaType.OctetStream, new SubmitOptions(Progress: reports));

        Assert.All(reports.Of(SubmitPhase.Hashing), r => Assert.Null(r.TotalBytes));
        Assert.Equal((ulong)Size, reports.Of(SubmitPhase.Hashing)[^1].BytesDone);
        Assert.All(reports.Of(SubmitPhase.Uploading), r => Assert.Equal((ulong)Size, r.TotalBytes));
        Assert.Equal((ulong)Size, reports.Of(SubmitPhase.Uploading)[^1].BytesDone);
    }

    private static byte[] Content()
    {
        var content = new byte[Size];
        new Random(7).NextBytes(content);
        return content;
    }

    private sealed class Recorder : IProgress<SubmitProgress>
    {
        private readonly List<SubmitProgress> _all = [];

        public void Report(SubmitProgress value)
        {
            lock (_all) _all.Add(value);
        }

        public List<SubmitProgress> Of(SubmitPhase phase)
        {
            lock (_all) return [.. _all.Where(r => r.Phase == phase)];
        }

        public int FirstIndexOf(SubmitPhase phase)
        {
            lock (_all) return _all.FindIndex(r => r.Phase == phase);
        }

        public int LastIndexOf(SubmitPhase phase)
        {
            lock (_all) return _all.FindLastIndex(r => r.Phase == phase);
        }
    }

    private sealed class NonSeekable(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
