namespace Stele.Storage;

/// <summary>HTTP metadata stored with an object; both are served as-is by S3 and recorded by the directory store.</summary>
/// <param name="ContentType">Media type, e.g. <c>application/octet-stream</c>; <c>null</c> leaves it to the backend default.</param>
/// <param name="CacheControl">Cache-Control header value, e.g. <c>public, max-age=31536000, immutable</c>.</param>
public sealed record ObjectMetadata(string? ContentType = null, string? CacheControl = null)
{
    /// <summary>No content type and no cache control.</summary>
    public static ObjectMetadata None { get; } = new();

    /// <summary>True when neither value is set.</summary>
    public bool IsEmpty => ContentType is null && CacheControl is null;

    /// <summary>Throws when a value could not travel as an HTTP header (control characters, line breaks).</summary>
    internal void Validate()
    {
        Check(ContentType, nameof(ContentType));
        Check(CacheControl, nameof(CacheControl));

        static void Check(string? value, string name)
        {
            if (value is null) return;
            if (value.Length == 0 || value.Length > 1024)
                throw new ArgumentException($"{name} must be 1 to 1024 characters long.", name);
            foreach (var c in value)
            {
                if (c < 0x20 || c > 0x7E)
                    throw new ArgumentException($"{name} must be printable ASCII (it travels as an HTTP header).", name);
            }
        }
    }
}
