using System.Reflection;

namespace Stele.Testing;

/// <summary>Finds the official test vectors in ../shared/testdata beside the repository.</summary>
public static class TestData
{
    public static string Root { get; } = Locate();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("STELE_TESTDATA");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var baked = Assembly.GetExecutingAssembly()
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SteleTestData")?.Value;
        if (baked is not null && Directory.Exists(baked)) return baked;
        throw new DirectoryNotFoundException(
            $"Official test vectors not found at '{baked}'. Clone the repository beside shared/ or set STELE_TESTDATA.");
    }
}
