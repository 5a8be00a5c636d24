using Stele.Crypto.Blake3.Internal;

namespace Stele.Crypto.Blake3;

/// <summary>
/// One-shot BLAKE3 in its three modes: hash, keyed hash (32-byte key) and key derivation.
/// Every call accepts any input length; output spans of any length give extended output.
/// These methods allocate nothing.
/// </summary>
public static class Blake3
{
    public const int KeyLength = 32;
    public const int OutputLength = 32;

    public static Blake3Hash Hash(ReadOnlySpan<byte> input) => Digest(KeyWords.Default, 0, input, SimdLevel.V512, false);

    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output) =>
        Output(KeyWords.Default, 0, input, output, SimdLevel.V512, false);

    /// <summary>Hashes a large in-memory input on several threads; same result as <see cref="Hash(ReadOnlySpan{byte})"/>.</summary>
    public static Blake3Hash HashParallel(ReadOnlySpan<byte> input) => Digest(KeyWords.Default, 0, input, SimdLevel.V512, true);

    /// <summary>Keyed mode, e.g. a MAC or a salted commitment. The key must be exactly 32 bytes.</summary>
    public static Blake3Hash KeyedHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input) =>
        Digest(KeyWords.FromKey(key), Constants.KeyedHash, input, SimdLevel.V512, false);

    public static void KeyedHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output) =>
        Output(KeyWords.FromKey(key), Constants.KeyedHash, input, output, SimdLevel.V512, false);

    /// <summary>
    /// Derives key bytes from <paramref name="material"/> for the purpose named by
    /// <paramref name="context"/> (a hard-coded, globally unique string).
    /// </summary>
    public static void DeriveKey(string context, ReadOnlySpan<byte> material, Span<byte> output) =>
        Output(KeyWords.ForContext(context, SimdLevel.V512), Constants.DeriveKeyMaterial, material, output, SimdLevel.V512, false);

    /// <summary>Hashes a whole stream (read in large buffers); reports bytes read to <paramref name="progress"/>.</summary>
    public static async Task<Blake3Hash> HashStreamAsync(Stream stream, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default, bool multiThreaded = false)
    {
        using var hasher = new Blake3Hasher { MultiThreaded = multiThreaded };
        await hasher.UpdateAsync(stream, progress, cancellationToken).ConfigureAwait(false);
        return hasher.Finalize();
    }

    internal static Blake3Hash Digest(in Words8 key, uint flags, ReadOnlySpan<byte> input, SimdLevel level, bool multiThreaded)
    {
        Span<byte> bytes = stackalloc byte[OutputLength];
        Output(key, flags, input, bytes, level, multiThreaded);
        return Blake3Hash.FromBytes(bytes);
    }

    internal static void Output(in Words8 key, uint flags, ReadOnlySpan<byte> input, Span<byte> output, SimdLevel level, bool multiThreaded)
    {
        if (input.Length <= Constants.ChunkLength)
        {
            // One chunk is the whole tree: skip the hasher's stack of chaining values.
            var chunk = new ChunkState();
            chunk.Reset(key, 0, flags);
            chunk.Update(input);
            chunk.Output().RootBytes(0, output);
            chunk.Clear();
            return;
        }
        var core = new HasherCore();
        core.Initialize(key, flags, level);
        core.MultiThreaded = multiThreaded;
        core.Update(input);
        core.Finalize().RootBytes(0, output);
        core.Clear();
    }
}
