using Stele.Reader.Sources;
using Stele.Storage;

namespace Stele.Reader.Tests.Support;

/// <summary>A sample log published to a source directory, and an empty destination store to mirror it into.</summary>
internal sealed class MirrorScene : IAsyncDisposable
{
    private MirrorScene(SampleLog sample, TempDirectory src, TempDirectory dst, DirectoryLogSource source, IObjectStore store) =>
        (Sample, Src, Dst, Source, Store) = (sample, src, dst, source, store);

    public SampleLog Sample { get; }
    public TempDirectory Src { get; }
    public TempDirectory Dst { get; }
    public DirectoryLogSource Source { get; }
    public IObjectStore Store { get; }

    public static async Task<MirrorScene> PublishAsync(int extraEntries)
    {
        var sample = new SampleLog(extraEntries);
        var src = new TempDirectory();
        var dst = new TempDirectory();
        await sample.Log.PublishToDirectoryAsync(src.Path);
        return new MirrorScene(sample, src, dst, new DirectoryLogSource(src.Path), ObjectStores.Open("file://" + dst.Path));
    }

    public void Deconstruct(out SampleLog sample, out TempDirectory src, out TempDirectory dst, out DirectoryLogSource source, out IObjectStore store) =>
        (sample, src, dst, source, store) = (Sample, Src, Dst, Source, Store);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Source.DisposeAsync();
        Dst.Dispose();
        Src.Dispose();
        Sample.Dispose();
    }
}
