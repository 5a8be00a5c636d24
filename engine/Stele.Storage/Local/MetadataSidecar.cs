using System.Text;

namespace Stele.Storage.Local;

/// <summary>
/// Content type and cache control of a directory-store object, kept in a small text file at
/// <c>.stele-store/meta/&lt;key&gt;</c> (two "Name: value" lines), so the published tree itself
/// holds nothing but the objects' bytes and can be served by any static host.
/// </summary>
internal static class MetadataSidecar
{
    private const string ContentTypeHeader = "Content-Type: ";
    private const string CacheControlHeader = "Cache-Control: ";

    public static string Format(ObjectMetadata metadata)
    {
        var text = new StringBuilder();
        if (metadata.ContentType is { } type) text.Append(ContentTypeHeader).Append(type).Append('\n');
        if (metadata.CacheControl is { } cache) text.Append(CacheControlHeader).Append(cache).Append('\n');
        return text.ToString();
    }

    public static ObjectMetadata Parse(string text)
    {
        string? contentType = null, cacheControl = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith(ContentTypeHeader, StringComparison.Ordinal)) contentType = line[ContentTypeHeader.Length..];
            else if (line.StartsWith(CacheControlHeader, StringComparison.Ordinal)) cacheControl = line[CacheControlHeader.Length..];
        }
        return new ObjectMetadata(contentType, cacheControl);
    }

    /// <summary>The sidecar's metadata, or none when the file is missing.</summary>
    public static ObjectMetadata Read(string sidecarPath) =>
        ReadRaw(sidecarPath) is { } text ? Parse(text) : ObjectMetadata.None;

    /// <summary>The sidecar's raw text, or null when the file is missing.</summary>
    public static string? ReadRaw(string sidecarPath)
    {
        // Most objects of a fresh key have no sidecar yet: check first rather than pay for an exception.
        if (!File.Exists(sidecarPath)) return null;
        try
        {
            return File.ReadAllText(sidecarPath, Encoding.ASCII);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null; // deleted between the check and the read, or a folder of that name
        }
    }
}
