namespace Stele.Storage;

/// <summary>
/// The directory store cannot hold both 'a' and 'a/b': a path cannot be a file and a folder at once.
/// S3 allows it; Stele's layouts never need it.
/// </summary>
public sealed class ObjectKeyConflictException(string location, string key, string reason)
    : ObjectStoreException($"Cannot store '{key}' in {location}: {reason}.")
{
    public string Key { get; } = key;
}
