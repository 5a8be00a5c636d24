using System.Runtime.InteropServices;

namespace Stele.Crypto.Ed25519;

/// <summary>
/// The few libsodium 1.0.18 entry points Stele needs. The versioned soname is used so no
/// -dev package is required; <see cref="EnsureInitialized"/> runs sodium_init exactly once.
/// </summary>
internal static unsafe partial class LibSodium
{
    private const string Library = "libsodium.so.23";

    public const int PublicKeyBytes = 32;
    public const int SecretKeyBytes = 64;
    public const int SeedBytes = 32;
    public const int SignatureBytes = 64;

    private static readonly Lazy<bool> s_initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureInitialized() => _ = s_initialized.Value;

    private static bool Initialize()
    {
        // 0 = initialised now, 1 = already initialised; -1 = failure.
        if (sodium_init() < 0) throw new InvalidOperationException("libsodium failed to initialise (sodium_init returned -1).");
        return true;
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    public static partial void sodium_memzero(void* pnt, nuint len);

    [LibraryImport(Library)]
    public static partial int crypto_sign_ed25519_keypair(byte* pk, byte* sk);

    [LibraryImport(Library)]
    public static partial int crypto_sign_ed25519_seed_keypair(byte* pk, byte* sk, byte* seed);

    [LibraryImport(Library)]
    public static partial int crypto_sign_ed25519_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);

    [LibraryImport(Library)]
    public static partial int crypto_sign_ed25519_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);
}
