using Amazon.S3.Model;

namespace Stele.Storage.S3;

/// <summary>
/// An S3 write of unknown size. The body fills a part-sized pooled buffer; a body that fits in
/// one buffer goes up as a single PUT on completion, a larger one as a multipart upload, with one
/// part uploading while the next fills (so at most two buffers per write). On abort or failure
/// the multipart upload is aborted, so no parts linger in the bucket.
/// </summary>
internal sealed class S3WriteStream : ObjectWriteStream
{
    private readonly S3ObjectStore _store;
    private readonly string _fullKey;
    private readonly ObjectMetadata _metadata;
    private readonly int _partSize;
    private readonly CancellationTokenSource _abort = new();
    private readonly List<PartETag> _parts = [];

    private byte[]? _filling;
    private int _filled;
    private byte[]? _uploading;
    private Task _upload = Task.CompletedTask;
    private string? _uploadId;

    public S3WriteStream(S3ObjectStore store, string key, string fullKey, ObjectMetadata metadata) : base(key)
    {
        _store = store;
        _fullKey = fullKey;
        _metadata = metadata;
        _partSize = store.Options.PartSize;
    }

    protected override void WriteCore(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            // Ship a full buffer only once more data arrives, so a body of exactly one part is a single PUT.
            if (_filled == _partSize) ShipFullPartAsync(CancellationToken.None).GetAwaiter().GetResult();
            var target = Filling();
            int n = Math.Min(buffer.Length, _partSize - _filled);
            buffer[..n].CopyTo(target.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
        }
    }

    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            if (_filled == _partSize) await ShipFullPartAsync(cancellationToken).ConfigureAwait(false);
            var target = Filling();
            int n = Math.Min(buffer.Length, _partSize - _filled);
            buffer.Span[..n].CopyTo(target.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
        }
    }

    protected override async Task CompleteCoreAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            await PutSingleAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        if (_filled > 0) await ShipFullPartAsync(cancellationToken).ConfigureAwait(false);
        await _upload.WaitAsync(cancellationToken).ConfigureAwait(false);
        var request = new CompleteMultipartUploadRequest
        {
            BucketName = _store.Bucket,
            Key = _fullKey,
            UploadId = _uploadId,
            PartETags = [.. _parts.OrderBy(p => p.PartNumber)],
        };
        await S3Errors.Run(_store.Location, "complete multipart upload", Key,
            () => _store.Client.CompleteMultipartUploadAsync(request, cancellationToken)).ConfigureAwait(false);
    }

    protected override async Task AbortCoreAsync()
    {
        await _abort.CancelAsync().ConfigureAwait(false);
        try
        {
            await _upload.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The part upload was cancelled or had already failed; the upload is being aborted anyway.
        }
        if (_uploadId is null) return;
        var request = new AbortMultipartUploadRequest { BucketName = _store.Bucket, Key = _fullKey, UploadId = _uploadId };
        try
        {
            await _store.Client.AbortMultipartUploadAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (S3Errors.Wrap(_store.Location, "abort", Key, e) is not null)
        {
            // Best effort: abort runs on failure and dispose paths, where throwing would hide the real
            // error. The object never appears either way; stray parts are what a bucket lifecycle rule
            // (AbortIncompleteMultipartUpload) is for. s3rver does not implement this call at all.
        }
    }

    protected override ValueTask ReleaseAsync()
    {
        if (_filling is not null) PartBuffers.Return(_filling);
        if (_uploading is not null) PartBuffers.Return(_uploading);
        _filling = _uploading = null;
        _abort.Dispose();
        return ValueTask.CompletedTask;
    }

    private byte[] Filling() => _filling ??= PartBuffers.Rent(_partSize);

    /// <summary>Waits for the previous part, then starts uploading the filled buffer (the last part may be short) and swaps buffers.</summary>
    private async Task ShipFullPartAsync(CancellationToken cancellationToken)
    {
        _uploadId ??= await InitiateAsync(cancellationToken).ConfigureAwait(false);
        await _upload.WaitAsync(cancellationToken).ConfigureAwait(false);

        (_filling, _uploading) = (_uploading, _filling);
        int length = _filled;
        _filled = 0;
        int partNumber = _parts.Count + 1; // the previous part has finished, so it is counted
        _upload = UploadPartAsync(_uploading!, length, partNumber);
    }

    private async Task UploadPartAsync(byte[] buffer, int length, int partNumber)
    {
        using var body = new MemoryStream(buffer, 0, length, writable: false);
        var request = new UploadPartRequest
        {
            BucketName = _store.Bucket,
            Key = _fullKey,
            UploadId = _uploadId,
            PartNumber = partNumber,
            PartSize = length,
            InputStream = body,
            UseChunkEncoding = false, // s3rver would store aws-chunked framing as part of the body
        };
        var response = await S3Errors.Run(_store.Location, $"upload of part {partNumber}", Key,
            () => _store.Client.UploadPartAsync(request, _abort.Token)).ConfigureAwait(false);
        _parts.Add(new PartETag(partNumber, response.ETag));
    }

    private async Task<string> InitiateAsync(CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest { BucketName = _store.Bucket, Key = _fullKey, ContentType = _metadata.ContentType };
        if (_metadata.CacheControl is { } cacheControl) request.Headers.CacheControl = cacheControl;
        var response = await S3Errors.Run(_store.Location, "start of multipart upload", Key,
            () => _store.Client.InitiateMultipartUploadAsync(request, cancellationToken)).ConfigureAwait(false);
        return response.UploadId;
    }

    private async Task PutSingleAsync(CancellationToken cancellationToken)
    {
        using var body = _filled == 0 ? new MemoryStream([], writable: false) : new MemoryStream(_filling!, 0, _filled, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _store.Bucket,
            Key = _fullKey,
            InputStream = body,
            ContentType = _metadata.ContentType,
            UseChunkEncoding = false, // s3rver would store aws-chunked framing as part of the body
        };
        if (_metadata.CacheControl is { } cacheControl) request.Headers.CacheControl = cacheControl;
        await S3Errors.Run(_store.Location, "PUT", Key, () => _store.Client.PutObjectAsync(request, cancellationToken)).ConfigureAwait(false);
    }
}
