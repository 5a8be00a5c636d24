using System.Security.Cryptography;

namespace Stele.Storage.S3;

/// <summary>
/// Checks a GET body against its ETag when the ETag is the body's MD5 (single-part uploads,
/// no KMS or customer-key encryption). The SDK does the same through a wrapper that allocates
/// more than the body's size; this one hashes in place.
/// </summary>
internal sealed class Md5CheckingStream(Stream inner, byte[] expectedMd5, long expectedLength, string description) : Stream
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private long _read;
    private bool _checked;

    /// <summary>The MD5 an ETag states, or null when the ETag is not a plain MD5 (e.g. "…-3" for multipart).</summary>
    public static byte[]? Md5FromETag(string? etag)
    {
        var hex = etag?.Trim('"');
        if (hex is not { Length: 32 }) return null;
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expectedLength;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Account(buffer, inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span, read);
    }

    private int Account(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            _md5.AppendData(buffer[..read]);
            _read += read;
        }
        else if (!_checked && buffer.Length > 0)
        {
            _checked = true;
            Span<byte> actual = stackalloc byte[16];
            _md5.GetHashAndReset(actual);
            if (_read != expectedLength || !actual.SequenceEqual(expectedMd5))
                throw new ObjectStoreException($"{description}: the body read back ({_read} bytes) does not match its ETag; it was corrupted in transit.");
        }
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _md5.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        _md5.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
