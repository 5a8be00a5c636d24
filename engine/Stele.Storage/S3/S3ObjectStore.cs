using System.Runtime.CompilerServices;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Util;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stele.Storage.S3;

/// <summary>
/// An object store in an S3 bucket, under an optional key prefix (<c>s3://bucket/prefix</c>).
/// Works with AWS and with s3rver: path-style addressing, checksums only when required and no
/// aws-chunked bodies, which s3rver would otherwise store verbatim.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    private readonly string _keyPrefix;
    private readonly bool _ownsClient;

    public S3ObjectStore(S3Settings settings, string bucket, string prefix = "", S3ObjectStoreOptions? options = null)
        : this(CreateClient(settings), bucket, prefix, options, ownsClient: true)
    {
    }

    private S3ObjectStore(AmazonS3Client client, string bucket, string prefix, S3ObjectStoreOptions? options, bool ownsClient)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        Options = options ?? new S3ObjectStoreOptions();
        Options.Validate();
        prefix = prefix.Trim('/');
        if (prefix.Length > 0) ObjectKey.Validate(prefix);
        Client = client;
        Bucket = bucket;
        Prefix = prefix;
        _keyPrefix = prefix.Length == 0 ? "" : prefix + "/";
        _ownsClient = ownsClient;
    }

    public string Bucket { get; }

    /// <summary>Key prefix inside the bucket, without a trailing '/'; empty for the whole bucket.</summary>
    public string Prefix { get; }

    public S3ObjectStoreOptions Options { get; }

    public string Location => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";

    internal AmazonS3Client Client { get; }

    /// <summary>Creates the bucket unless it already exists (handy for s3rver and fresh deployments).</summary>
    public Task EnsureBucketAsync(CancellationToken cancellationToken = default) =>
        S3Errors.Run(Location, "create bucket", "", async () =>
        {
            try
            {
                await Client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
            }
        });

    public async Task PutAsync(string key, Stream content, ObjectMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        await using var writer = await OpenWriteAsync(key, metadata, cancellationToken).ConfigureAwait(false);
        await content.CopyToAsync(writer, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectReadStream> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await TryGetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(Location, key);

    public Task<ObjectReadStream?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        var fullKey = FullKey(key);
        return S3Errors.Run(Location, "GET", key, async () =>
        {
            GetObjectResponse response;
            try
            {
                response = await Client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = fullKey }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (S3Errors.IsMissingKey(e))
            {
                return null;
            }
            var metadata = new ObjectMetadata(NullIfEmpty(response.Headers.ContentType), NullIfEmpty(response.Headers.CacheControl));
            var properties = new ObjectProperties(key, response.ContentLength, metadata);
            return new ObjectReadStream(BodyOf(response, key), properties, owner: response);
        });
    }

    public Task<ObjectProperties?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        var fullKey = FullKey(key);
        return S3Errors.Run(Location, "HEAD", key, async () =>
        {
            GetObjectMetadataResponse response;
            try
            {
                response = await Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = fullKey }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (S3Errors.IsMissingKey(e))
            {
                return null;
            }
            var metadata = new ObjectMetadata(NullIfEmpty(response.Headers.ContentType), NullIfEmpty(response.Headers.CacheControl));
            return (ObjectProperties?)new ObjectProperties(key, response.ContentLength, metadata);
        });
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(
        string prefix = "", string? startAfter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidatePrefix(prefix);
        var request = new ListObjectsV2Request
        {
            BucketName = Bucket,
            Prefix = _keyPrefix + prefix,
            StartAfter = string.IsNullOrEmpty(startAfter) ? null : _keyPrefix + startAfter,
            MaxKeys = Options.ListPageSize,
        };
        while (true)
        {
            var page = await S3Errors.Run(Location, "LIST", prefix, () => Client.ListObjectsV2Async(request, cancellationToken))
                .ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new ObjectInfo(item.Key[_keyPrefix.Length..], item.Size ?? 0);
            }
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var fullKey = FullKey(key);
        return S3Errors.Run(Location, "DELETE", key,
            () => Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = fullKey }, cancellationToken));
    }

    public Task<ObjectWriteStream> OpenWriteAsync(string key, ObjectMetadata metadata, CancellationToken cancellationToken = default)
    {
        var fullKey = FullKey(key);
        ArgumentNullException.ThrowIfNull(metadata);
        metadata.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<ObjectWriteStream>(new S3WriteStream(this, key, fullKey, metadata));
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient) Client.Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Location;

    /// <summary>The key inside the bucket, after checking the store-relative key.</summary>
    private string FullKey(string key)
    {
        ObjectKey.Validate(key);
        var fullKey = _keyPrefix + key;
        if (Encoding.UTF8.GetByteCount(fullKey) > ObjectKey.MaxBytes)
            throw new InvalidObjectKeyException(key, $"with the store prefix '{Prefix}' it exceeds S3's {ObjectKey.MaxBytes}-byte key limit");
        return fullKey;
    }

    /// <summary>
    /// The raw HTTP body, with our own MD5 check in place of the SDK's (which allocates about
    /// 1.4 bytes per byte read: a 200 MB object would churn 280 MB).
    /// </summary>
    private Stream BodyOf(GetObjectResponse response, string key)
    {
        var body = response.ResponseStream is WrapperStream wrapper ? wrapper.GetNonWrapperBaseStream() : response.ResponseStream;
        bool etagIsMd5 = string.IsNullOrEmpty(response.ServerSideEncryptionKeyManagementServiceKeyId)
            && (response.ServerSideEncryptionCustomerMethod is null || response.ServerSideEncryptionCustomerMethod == ServerSideEncryptionCustomerMethod.None);
        return etagIsMd5 && Md5CheckingStream.Md5FromETag(response.ETag) is { } md5
            ? new Md5CheckingStream(body, md5, response.ContentLength, $"GET of '{key}' in {Location}")
            : body;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static AmazonS3Client CreateClient(S3Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new AmazonS3Config
        {
            ForcePathStyle = true,
            // s3rver (and some other S3 implementations) cannot handle trailing checksums or aws-chunked framing.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }
        return new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
    }
}
