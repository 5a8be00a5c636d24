using System.Security.Cryptography;

namespace Stele.Storage.Tests.Support;

/// <summary>
/// A read-only stream of <c>length</c> pseudo-random bytes generated on the fly (xorshift64*), so
/// a test can push hundreds of megabytes without holding them. It hashes what it hands out, so
/// the test can compare with what comes back.
/// </summary>
internal sealed class DeterministicStream(long length, ulong seed) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ulong _state = seed | 1;
    private long _position;

    /// <summary>SHA-256 of all bytes read so far (call once, at the end).</summary>
    public byte[] Sha256() => _sha256.GetHashAndReset();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Min(buffer.Length, length - _position);
        var target = buffer[..n];
        Fill(target);
        _sha256.AppendData(target);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    // Byte i of the stream depends only on the seed and i's 8-byte block, whatever the read sizes.
    private void Fill(Span<byte> target)
    {
        int i = 0;
        int inBlock = (int)(_position & 7);
        if (inBlock != 0)
        {
            Span<byte> block = stackalloc byte[8];
            BitConverter.TryWriteBytes(block, Peek());
            int n = Math.Min(8 - inBlock, target.Length);
            block.Slice(inBlock, n).CopyTo(target);
            i = n;
            if (inBlock + n == 8) Next();
        }
        for (; i + 8 <= target.Length; i += 8) BitConverter.TryWriteBytes(target[i..], Next());
        if (i < target.Length)
        {
            Span<byte> block = stackalloc byte[8];
            BitConverter.TryWriteBytes(block, Peek());
            block[..(target.Length - i)].CopyTo(target[i..]);
        }
    }

    private ulong Peek() => _state * 0x2545F4914F6CDD1DUL;

    private ulong Next()
    {
        ulong value = Peek();
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return value;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha256.Dispose();
        base.Dispose(disposing);
    }
}
