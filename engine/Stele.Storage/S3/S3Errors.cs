using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace Stele.Storage.S3;

/// <summary>Turns SDK failures into one-line <see cref="ObjectStoreException"/>s naming the store, the operation and the key.</summary>
internal static class S3Errors
{
    public static bool IsMissingKey(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is not ("NoSuchBucket" or "NoSuchUpload");

    public static async Task<T> Run<T>(string location, string operation, string key, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (Wrap(location, operation, key, e) is { } wrapped)
        {
            throw wrapped;
        }
    }

    public static async Task Run(string location, string operation, string key, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e) when (Wrap(location, operation, key, e) is { } wrapped)
        {
            throw wrapped;
        }
    }

    public static ObjectStoreException? Wrap(string location, string operation, string key, Exception e)
    {
        var target = key.Length == 0 ? location : $"'{key}' in {location}";
        return e switch
        {
            AmazonS3Exception s3 => new ObjectStoreException(
                $"S3 {operation} of {target} failed: {(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}", e),
            AmazonServiceException service => new ObjectStoreException(
                $"S3 {operation} of {target} failed: {service.Message}", e),
            AmazonClientException or HttpRequestException => new ObjectStoreException(
                $"S3 {operation} of {target} failed (is the endpoint reachable?): {e.Message}", e),
            _ => null,
        };
    }
}
