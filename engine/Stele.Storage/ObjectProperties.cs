namespace Stele.Storage;

/// <summary>What a HEAD tells about an object: its size and the metadata it was stored with.</summary>
public sealed record ObjectProperties(string Key, long Size, ObjectMetadata Metadata);
