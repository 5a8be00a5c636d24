namespace Stele.Projections.Tests.Support;

internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("stele-proj-").FullName;

    /// <summary>Every published file (not the store's own metadata) with its bytes, by relative key.</summary>
    public Dictionary<string, byte[]> Files() =>
        Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Path, f).Replace('\\', '/'))
            .Where(k => !k.StartsWith('.') && !k.Contains("/.", StringComparison.Ordinal))
            .ToDictionary(k => k, k => File.ReadAllBytes(System.IO.Path.Combine(Path, k)));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
