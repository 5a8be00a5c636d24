namespace Stele.Reader.Tests.Support;

/// <summary>
/// Every file under a directory by its relative key, with its bytes (objects and their metadata sidecars; the
/// store's temp folder aside): two mirrors are equal when these are.
/// </summary>
internal static class DirectorySnapshot
{
    public static SortedDictionary<string, byte[]> Take(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Key: Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), Path: f))
            .Where(f => !f.Key.StartsWith(".stele-store/tmp/", StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => File.ReadAllBytes(f.Path)), StringComparer.Ordinal);

    public static void AssertSame(string expectedRoot, string actualRoot)
    {
        var expected = Take(expectedRoot);
        var actual = Take(actualRoot);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[key]), $"{key} differs");
    }
}
