namespace Stele.Storage;

/// <summary>No object exists under the requested key.</summary>
public sealed class ObjectNotFoundException(string location, string key)
    : ObjectStoreException($"Object '{key}' not found in {location}.")
{
    public string Key { get; } = key;
}
