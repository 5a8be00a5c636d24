namespace Stele.Reader.Tests.Support;

/// <summary>Tests that damage a published <see cref="SampleLog"/> in place: a fresh log and directory per test.</summary>
public abstract class PublishedSampleTests : IAsyncLifetime
{
    private protected SampleLog Sample { get; } = new();

    private protected TempDirectory Dir { get; } = new();

    public async Task InitializeAsync() => await Sample.Log.PublishToDirectoryAsync(Dir.Path);

    public Task DisposeAsync()
    {
        Sample.Dispose();
        Dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Flips the low bit of one byte of a published file (a negative offset counts from the end).</summary>
    private protected void Flip(string key, int offset)
    {
        var bytes = File.ReadAllBytes(Dir.File(key));
        bytes[offset < 0 ? bytes.Length + offset : offset] ^= 0x01;
        File.WriteAllBytes(Dir.File(key), bytes);
    }
}
