using System.Runtime.InteropServices;

namespace Stele.Crypto.Ed25519.Tests;

/// <summary>An independent Ed25519 (OpenSSL 3 libcrypto, EVP raw keys) used only to cross-check libsodium.</summary>
internal static unsafe partial class OpenSslEd25519
{
    private const string Library = "libcrypto.so.3";
    private const int NidEd25519 = 1087;

    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed)
    {
        var key = NewPrivateKey(seed);
        try
        {
            var pub = new byte[32];
            nuint length = 32;
            fixed (byte* p = pub)
                Check(EVP_PKEY_get_raw_public_key(key, p, &length), "EVP_PKEY_get_raw_public_key");
            Assert.Equal(32u, (uint)length);
            return pub;
        }
        finally { EVP_PKEY_free(key); }
    }

    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        var key = NewPrivateKey(seed);
        var ctx = EVP_MD_CTX_new();
        try
        {
            Check(EVP_DigestSignInit(ctx, null, null, null, key), "EVP_DigestSignInit");
            var signature = new byte[64];
            nuint length = 64;
            fixed (byte* s = signature)
            fixed (byte* m = message)
                Check(EVP_DigestSign(ctx, s, &length, m, (nuint)message.Length), "EVP_DigestSign");
            Assert.Equal(64u, (uint)length);
            return signature;
        }
        finally
        {
            EVP_MD_CTX_free(ctx);
            EVP_PKEY_free(key);
        }
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        void* key;
        fixed (byte* p = publicKey) key = EVP_PKEY_new_raw_public_key(NidEd25519, null, p, (nuint)publicKey.Length);
        if (key is null) throw new InvalidOperationException("EVP_PKEY_new_raw_public_key failed");
        var ctx = EVP_MD_CTX_new();
        try
        {
            Check(EVP_DigestVerifyInit(ctx, null, null, null, key), "EVP_DigestVerifyInit");
            fixed (byte* s = signature)
            fixed (byte* m = message)
                return EVP_DigestVerify(ctx, s, (nuint)signature.Length, m, (nuint)message.Length) == 1;
        }
        finally
        {
            EVP_MD_CTX_free(ctx);
            EVP_PKEY_free(key);
        }
    }

    private static void* NewPrivateKey(ReadOnlySpan<byte> seed)
    {
        void* key;
        fixed (byte* s = seed) key = EVP_PKEY_new_raw_private_key(NidEd25519, null, s, (nuint)seed.Length);
        if (key is null) throw new InvalidOperationException("EVP_PKEY_new_raw_private_key failed");
        return key;
    }

    private static void Check(int rc, string what)
    {
        if (rc != 1) throw new InvalidOperationException($"{what} returned {rc}");
    }

    [LibraryImport(Library)] private static partial void* EVP_PKEY_new_raw_private_key(int type, void* engine, byte* key, nuint keylen);
    [LibraryImport(Library)] private static partial void* EVP_PKEY_new_raw_public_key(int type, void* engine, byte* key, nuint keylen);
    [LibraryImport(Library)] private static partial int EVP_PKEY_get_raw_public_key(void* pkey, byte* pub, nuint* len);
    [LibraryImport(Library)] private static partial void EVP_PKEY_free(void* pkey);
    [LibraryImport(Library)] private static partial void* EVP_MD_CTX_new();
    [LibraryImport(Library)] private static partial void EVP_MD_CTX_free(void* ctx);
    [LibraryImport(Library)] private static partial int EVP_DigestSignInit(void* ctx, void* pctx, void* type, void* engine, void* pkey);
    [LibraryImport(Library)] private static partial int EVP_DigestSign(void* ctx, byte* sigret, nuint* siglen, byte* tbs, nuint tbslen);
    [LibraryImport(Library)] private static partial int EVP_DigestVerifyInit(void* ctx, void* pctx, void* type, void* engine, void* pkey);
    [LibraryImport(Library)] private static partial int EVP_DigestVerify(void* ctx, byte* sig, nuint siglen, byte* tbs, nuint tbslen);
}
