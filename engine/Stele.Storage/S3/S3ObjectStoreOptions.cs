namespace Stele.Storage.S3;

/// <summary>Tuning of the S3 store; the defaults suit production.</summary>
public sealed record S3ObjectStoreOptions
{
    /// <summary>S3's smallest part size for every part but the last.</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

    /// <summary>The largest part size supported (bounds the memory of one upload: two parts at a time).</summary>
    public const int MaxPartSize = 64 * 1024 * 1024;

    /// <summary>
    /// Bodies up to this size go up in one PUT; larger ones as a multipart upload in parts of this
    /// size. A write holds at most two part buffers: one filling, one uploading.
    /// </summary>
    public int PartSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Keys per ListObjectsV2 request (1 to 1000).</summary>
    public int ListPageSize { get; init; } = 1000;

    internal void Validate()
    {
        if (PartSize is < MinPartSize or > MaxPartSize)
            throw new ArgumentOutOfRangeException(nameof(PartSize), PartSize, $"Part size must be between {MinPartSize} and {MaxPartSize} bytes.");
        if (ListPageSize is < 1 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(ListPageSize), ListPageSize, "List page size must be between 1 and 1000.");
    }
}
