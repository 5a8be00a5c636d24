using Stele.Storage;
using Stele.Storage.S3;

namespace Stele.Reader.Sources;

/// <summary>Opens the log source a command-line argument names: a directory path, file://, s3:// or http(s)://.</summary>
public static class LogSources
{
    public static ILogSource Open(string location, S3Settings? s3Settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return new HttpLogSource(new Uri(location));
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var settings = s3Settings ?? S3Settings.FromEnvironment()
                ?? throw new ArgumentException($"reading {location} needs S3 credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, STELE_S3_ENDPOINT)");
            return new ObjectStoreLogSource(ObjectStores.Open(location, settings));
        }
        if (location.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            return new DirectoryLogSource(((DirectoryLocation)ObjectStoreLocation.Parse(location)).FullPath);
        if (location.Contains("://", StringComparison.Ordinal))
            throw new ArgumentException($"unsupported log location '{location}': expected a directory, file://, s3:// or http(s)://");
        return new DirectoryLogSource(location);
    }
}
