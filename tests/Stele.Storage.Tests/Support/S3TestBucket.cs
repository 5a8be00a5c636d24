using Amazon.S3;
using Amazon.S3.Model;
using Stele.Storage.S3;
using Stele.Testing;

namespace Stele.Storage.Tests.Support;

/// <summary>A fresh bucket on the test s3rver ($STELE_TEST_S3_ENDPOINT), emptied and removed on dispose.</summary>
internal static class S3TestBucket
{
    public static S3Settings Settings => S3Settings.ForS3rver(new Uri(TestServers.S3Endpoint));

    public static string NewName() => "stele-test-" + Guid.NewGuid().ToString("N")[..16];

    public static async Task<S3ObjectStore> CreateStoreAsync(string bucket, string prefix = "", S3ObjectStoreOptions? options = null)
    {
        var store = new S3ObjectStore(Settings, bucket, prefix, options);
        await store.EnsureBucketAsync();
        return store;
    }

    /// <summary>Deletes every object and then the bucket itself.</summary>
    public static async Task DeleteAsync(string bucket)
    {
        await using var store = new S3ObjectStore(Settings, bucket);
        var client = store.Client;
        var request = new ListObjectsV2Request { BucketName = bucket };
        while (true)
        {
            ListObjectsV2Response page;
            try
            {
                page = await client.ListObjectsV2Async(request);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
            {
                return; // the test never created it
            }
            if (page.S3Objects is { Count: > 0 } items)
            {
                await client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Objects = [.. items.Select(o => new KeyVersion { Key = o.Key })],
                });
            }
            if (page.IsTruncated != true) break;
            request.ContinuationToken = page.NextContinuationToken;
        }
        try
        {
            await client.DeleteBucketAsync(bucket);
        }
        catch (AmazonS3Exception)
        {
            // s3rver keeps unfinished multipart uploads in the bucket, which then refuses deletion; harmless.
        }
    }
}
