using Stele.Storage.Local;
using Stele.Storage.S3;

namespace Stele.Storage;

/// <summary>Opens the object store a location names.</summary>
public static class ObjectStores
{
    /// <summary>
    /// Opens a directory store (creating the folder if needed) or an S3 store. S3 needs
    /// <paramref name="s3Settings"/>; <paramref name="s3Options"/> tunes part and page sizes.
    /// </summary>
    public static IObjectStore Open(ObjectStoreLocation location, S3Settings? s3Settings = null, S3ObjectStoreOptions? s3Options = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location switch
        {
            DirectoryLocation directory => new DirectoryObjectStore(directory.FullPath),
            S3Location s3 => new S3ObjectStore(
                s3Settings ?? throw new ArgumentException(
                    $"Opening {s3} needs S3 settings (endpoint, region, access key, secret key).", nameof(s3Settings)),
                s3.Bucket, s3.Prefix, s3Options),
            _ => throw new ArgumentException($"Unknown kind of object store location: {location}.", nameof(location)),
        };
    }

    /// <summary>Parses <paramref name="location"/> (see <see cref="ObjectStoreLocation.Parse"/>) and opens it.</summary>
    public static IObjectStore Open(string location, S3Settings? s3Settings = null, S3ObjectStoreOptions? s3Options = null) =>
        Open(ObjectStoreLocation.Parse(location), s3Settings, s3Options);
}
