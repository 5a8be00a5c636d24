using Stele.Storage;

namespace Stele.Api;

internal static class StorageExtensions
{
    public static async Task<byte[]?> TryGetBytesAsync(this IObjectStore storage, string key, CancellationToken cancellationToken)
    {
        await using var stream = await storage.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (stream is null) return null;
        var body = new byte[stream.Properties.Size];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return body;
    }
}
