namespace Stele.Client;

/// <summary>Reads at most <c>length</c> bytes of an inner stream (left open), so an upload sends exactly what was hashed.</summary>
internal sealed class LengthLimitedStream(Stream inner, ulong length) : Stream
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
        var read = inner.Read(buffer[..(int)Math.Min((ulong)buffer.Length, _remaining)]);
        _remaining -= (ulong)read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0) return 0;
        var read = await inner.ReadAsync(buffer[..(int)Math.Min((ulong)buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        _remaining -= (ulong)read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
