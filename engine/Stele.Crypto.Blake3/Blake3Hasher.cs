using Stele.Crypto.Blake3.Internal;

namespace Stele.Crypto.Blake3;

/// <summary>
/// Incremental BLAKE3: feed any number of <see cref="Update"/> calls (multi-gigabyte streams
/// included), then <see cref="Finalize()"/>. Finalizing does not consume the state: more input
/// may follow. Dispose wipes the state, key included.
/// </summary>
public sealed class Blake3Hasher : IDisposable
{
    private HasherCore _core;
    private bool _disposed;

    /// <summary>A hasher in the default (unkeyed) mode.</summary>
    public Blake3Hasher() : this(KeyWords.Default, 0, SimdLevel.V512)
    {
    }

    internal Blake3Hasher(in Words8 key, uint flags, SimdLevel level) => _core.Initialize(key, flags, level);

    public static Blake3Hasher Create() => new();

    /// <summary>Keyed mode (a MAC or a salted commitment); the key must be exactly 32 bytes.</summary>
    public static Blake3Hasher CreateKeyed(ReadOnlySpan<byte> key) => CreateKeyed(key, SimdLevel.V512);

    /// <summary>Key derivation mode: feed the key material, then read as many key bytes as needed.</summary>
    public static Blake3Hasher CreateDeriveKey(string context) => CreateDeriveKey(context, SimdLevel.V512);

    internal static Blake3Hasher Create(SimdLevel level) => new(KeyWords.Default, 0, level);

    internal static Blake3Hasher CreateKeyed(ReadOnlySpan<byte> key, SimdLevel level) =>
        new(KeyWords.FromKey(key), Constants.KeyedHash, level);

    internal static Blake3Hasher CreateDeriveKey(string context, SimdLevel level) =>
        new(KeyWords.ForContext(context, level), Constants.DeriveKeyMaterial, level);

    /// <summary>
    /// Hash large updates on several threads (same result, more cores). Off by default; it pays
    /// off for updates of a few MiB or more.
    /// </summary>
    public bool MultiThreaded
    {
        get => _core.MultiThreaded;
        set => _core.MultiThreaded = value;
    }

    internal SimdLevel Level => _core.Level;

    public void Update(ReadOnlySpan<byte> input)
    {
        ThrowIfDisposed();
        _core.Update(input);
    }

    /// <summary>The 32-byte digest of everything so far.</summary>
    public Blake3Hash Finalize()
    {
        Span<byte> bytes = stackalloc byte[Blake3Hash.Length];
        Finalize(bytes);
        return Blake3Hash.FromBytes(bytes);
    }

    /// <summary>Fills <paramref name="output"/> with extended output of any length (its first 32 bytes are the digest).</summary>
    public void Finalize(Span<byte> output)
    {
        ThrowIfDisposed();
        _core.Finalize().RootBytes(0, output);
    }

    /// <summary>A seekable reader over the extended output of everything so far.</summary>
    public Blake3OutputReader FinalizeXof()
    {
        ThrowIfDisposed();
        return new Blake3OutputReader(_core.Finalize());
    }

    /// <summary>Forgets all input, keeping the mode and key.</summary>
    public void Reset()
    {
        ThrowIfDisposed();
        _core.Reset();
    }

    /// <summary>Feeds a whole stream; reports the bytes read so far to <paramref name="progress"/>.</summary>
    public Task UpdateAsync(Stream stream, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return StreamHashing.FeedAsync(this, stream, progress, cancellationToken);
    }

    public void Dispose()
    {
        _core.Clear();
        _disposed = true;
    }

    public override string ToString() => "Blake3Hasher";

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
