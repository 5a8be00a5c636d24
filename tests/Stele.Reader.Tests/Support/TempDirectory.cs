namespace Stele.Reader.Tests.Support;

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stele-reader-" + Guid.NewGuid().ToString("N")[..12]));

    public string Path { get; }

    public string File(string key) => System.IO.Path.Combine(Path, key);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
