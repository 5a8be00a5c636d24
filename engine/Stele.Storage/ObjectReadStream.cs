namespace Stele.Storage;

/// <summary>
/// A read-only, forward-only stream over one object's body, straight from the backend, with
/// the object's size and metadata. Dispose it to release the file or HTTP response.
/// </summary>
public sealed class ObjectReadStream : Stream
{
    private readonly Stream _inner;
    private readonly IDisposable? _owner;
    private long _position;

    internal ObjectReadStream(Stream inner, ObjectProperties properties, IDisposable? owner = null)
    {
        _inner = inner;
        _owner = owner;
        Properties = properties;
    }

    /// <summary>Key, size and metadata of the object being read.</summary>
    public ObjectProperties Properties { get; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => Properties.Size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("Object streams are read forward only.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = _inner.Read(buffer);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("Object streams are read forward only.");
    public override void SetLength(long value) => throw new NotSupportedException("Object streams are read-only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Object streams are read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _owner?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _owner?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
