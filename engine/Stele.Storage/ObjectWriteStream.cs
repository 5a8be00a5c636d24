namespace Stele.Storage;

/// <summary>
/// A write of unknown size to one key. Write the body (any chunk sizes), then call
/// <see cref="CompleteAsync"/>: only then does the object appear, atomically. Disposing before
/// completing (or <see cref="AbortAsync"/>) discards everything written and leaves no trace.
/// </summary>
public abstract class ObjectWriteStream : Stream
{
    private enum State { Open, Completed, Aborted }

    private State _state;
    private bool _released;
    private long _written;

    protected ObjectWriteStream(string key) => Key = key;

    /// <summary>The key the object will have once completed.</summary>
    public string Key { get; }

    /// <summary>True once <see cref="CompleteAsync"/> has succeeded.</summary>
    public bool IsCompleted => _state == State.Completed;

    public sealed override bool CanRead => false;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => _state == State.Open;
    public sealed override long Length => _written;

    public sealed override long Position
    {
        get => _written;
        set => throw new NotSupportedException("Object writes are append-only.");
    }

    /// <summary>Makes the object visible under <see cref="Key"/>, replacing any previous object.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        try
        {
            await CompleteCoreAsync(cancellationToken).ConfigureAwait(false);
            _state = State.Completed;
        }
        catch
        {
            try
            {
                await AbortAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The completion failure is the story; a failed clean-up must not replace it.
            }
            throw;
        }
    }

    /// <summary>Discards everything written so far; no object appears. Safe to call more than once.</summary>
    public async Task AbortAsync()
    {
        if (_state != State.Open) return;
        _state = State.Aborted;
        await AbortCoreAsync().ConfigureAwait(false);
    }

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public sealed override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureOpen();
        WriteCore(buffer);
        _written += buffer.Length;
    }

    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        await WriteCoreAsync(buffer, cancellationToken).ConfigureAwait(false);
        _written += buffer.Length;
    }

    /// <summary>Does nothing: data becomes durable and visible only on <see cref="CompleteAsync"/>.</summary>
    public sealed override void Flush() { }

    public sealed override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Object writes are write-only.");
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("Object writes are append-only.");
    public sealed override void SetLength(long value) => throw new NotSupportedException("Object writes are append-only.");

    protected abstract void WriteCore(ReadOnlySpan<byte> buffer);
    protected abstract ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);
    protected abstract Task CompleteCoreAsync(CancellationToken cancellationToken);
    protected abstract Task AbortCoreAsync();

    /// <summary>Releases buffers and handles; called once, after completion or abort.</summary>
    protected abstract ValueTask ReleaseAsync();

    protected sealed override void Dispose(bool disposing)
    {
        if (disposing) DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    public sealed override async ValueTask DisposeAsync()
    {
        if (_state == State.Open) await AbortAsync().ConfigureAwait(false);
        if (!_released)
        {
            _released = true;
            await ReleaseAsync().ConfigureAwait(false);
        }
        GC.SuppressFinalize(this);
    }

    private void EnsureOpen()
    {
        if (_state == State.Completed) throw new InvalidOperationException($"The write of '{Key}' is already completed.");
        if (_state == State.Aborted) throw new InvalidOperationException($"The write of '{Key}' was aborted.");
    }
}
