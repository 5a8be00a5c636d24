using Stele.Crypto.Blake3.Internal;

namespace Stele.Crypto.Blake3.Tests;

/// <summary>The three BLAKE3 modes, each able to start a hasher at a forced SIMD level.</summary>
public enum HashMode
{
    Hash,
    KeyedHash,
    DeriveKey,
}

internal static class HashModes
{
    public static readonly HashMode[] All = [HashMode.Hash, HashMode.KeyedHash, HashMode.DeriveKey];

    public static Blake3Hasher CreateHasher(HashMode mode, SimdLevel level) => mode switch
    {
        HashMode.Hash => Blake3Hasher.Create(level),
        HashMode.KeyedHash => Blake3Hasher.CreateKeyed(OfficialVectors.Instance.Key, level),
        HashMode.DeriveKey => Blake3Hasher.CreateDeriveKey(OfficialVectors.Instance.Context, level),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static byte[] Expected(VectorCase vector, HashMode mode) => mode switch
    {
        HashMode.Hash => vector.Hash,
        HashMode.KeyedHash => vector.KeyedHash,
        HashMode.DeriveKey => vector.DeriveKey,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Runs the one-shot entry point of a mode at a forced level.</summary>
    public static void OneShot(HashMode mode, ReadOnlySpan<byte> input, Span<byte> output, SimdLevel level, bool multiThreaded)
    {
        var (key, flags) = mode switch
        {
            HashMode.Hash => (KeyWords.Default, 0u),
            HashMode.KeyedHash => (KeyWords.FromKey(OfficialVectors.Instance.Key), Constants.KeyedHash),
            HashMode.DeriveKey => (KeyWords.ForContext(OfficialVectors.Instance.Context, level), Constants.DeriveKeyMaterial),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        Blake3.Output(key, flags, input, output, level, multiThreaded);
    }
}
