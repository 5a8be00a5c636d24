namespace Stele.Storage;

/// <summary>One entry of a listing: the key (relative to the store) and the size in bytes.</summary>
public sealed record ObjectInfo(string Key, long Size);
