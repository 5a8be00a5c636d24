using Stele.Storage;

namespace Stele.Projections.Publishing;

/// <summary>Content types and cache headers of published files (docs/log-format.md, "Layout").</summary>
public static class PublishedObjects
{
    public const string CheckpointKey = "checkpoint";
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";
    public const string MutableCacheControl = "no-cache";

    /// <summary>Tiles, bundles, blobs, batch certificates: cacheable forever.</summary>
    public static ObjectMetadata Immutable { get; } = new("application/octet-stream", ImmutableCacheControl);

    /// <summary>Payload files: they grow and, after an erasure, change.</summary>
    public static ObjectMetadata Payload { get; } = new("application/octet-stream", MutableCacheControl);

    public static ObjectMetadata Checkpoint { get; } = new("text/plain; charset=utf-8", MutableCacheControl);
}
