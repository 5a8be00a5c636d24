namespace Stele.Client;

/// <summary>
/// Reads at most <c>length</c> bytes of an inner stream (left open), so an upload sends exactly what
/// was hashed; reports the bytes read so far (what the HTTP stack has taken to send).
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, ulong length, Action<ulong>? read = null) : Stream
{
    private readonly ulong _length = length;
    private ulong _remaining = length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => (long)_length;

    public override long Position
    {
        get => (long)(_length - _remaining);
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_remaining == 0) return 0;
        var count = inner.Read(buffer[..(int)Math.Min((ulong)buffer.Length, _remaining)]);
        Advance(count);
        return count;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0) return 0;
        var count = await inner.ReadAsync(buffer[..(int)Math.Min((ulong)buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        Advance(count);
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Advance(int count)
    {
        _remaining -= (ulong)count;
        read?.Invoke(_length - _remaining);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
