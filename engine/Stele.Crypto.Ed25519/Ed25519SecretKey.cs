using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Stele.Crypto.Ed25519;

/// <summary>
/// An Ed25519 signing key. The 64-byte libsodium secret key (seed || public key) lives in
/// unmanaged memory, so the GC never copies it, and is wiped with sodium_memzero on Dispose
/// (or finalisation). The bytes never appear in ToString, exceptions or properties; only
/// <see cref="ExportSeed"/> reveals the seed, for key files.
/// </summary>
public sealed class Ed25519SecretKey : IDisposable
{
    public const int SeedLength = LibSodium.SeedBytes;

    private readonly SecretMemoryHandle _secret;

    public Ed25519PublicKey PublicKey { get; }

    private unsafe Ed25519SecretKey(SecretMemoryHandle secret)
    {
        _secret = secret;
        PublicKey = Ed25519PublicKey.FromBytes(new ReadOnlySpan<byte>(secret.Pointer + LibSodium.SeedBytes, LibSodium.PublicKeyBytes));
    }

    /// <summary>A new key from libsodium's CSPRNG.</summary>
    public static unsafe Ed25519SecretKey Generate()
    {
        LibSodium.EnsureInitialized();
        var secret = SecretMemoryHandle.Allocate(LibSodium.SecretKeyBytes);
        byte* pk = stackalloc byte[LibSodium.PublicKeyBytes];
        if (LibSodium.crypto_sign_ed25519_keypair(pk, secret.Pointer) != 0)
        {
            secret.Dispose();
            throw new CryptographicException("libsodium could not generate an Ed25519 key pair.");
        }
        return new Ed25519SecretKey(secret);
    }

    /// <summary>The key pair determined by a 32-byte RFC 8032 private key (seed).</summary>
    public static unsafe Ed25519SecretKey FromSeed(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != SeedLength)
            throw new ArgumentException($"An Ed25519 seed is {SeedLength} bytes, not {seed32.Length}.", nameof(seed32));
        LibSodium.EnsureInitialized();
        var secret = SecretMemoryHandle.Allocate(LibSodium.SecretKeyBytes);
        byte* pk = stackalloc byte[LibSodium.PublicKeyBytes];
        int rc;
        fixed (byte* seed = seed32) rc = LibSodium.crypto_sign_ed25519_seed_keypair(pk, secret.Pointer, seed);
        if (rc != 0)
        {
            secret.Dispose();
            throw new CryptographicException("libsodium could not derive an Ed25519 key pair from the seed.");
        }
        return new Ed25519SecretKey(secret);
    }

    /// <summary>Deterministic RFC 8032 signature of <paramref name="message"/>.</summary>
    public unsafe Ed25519Signature Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[LibSodium.SignatureBytes];
        Sign(message, signature);
        return new Ed25519Signature(signature);
    }

    /// <summary>Writes the 64-byte signature into <paramref name="destination"/> without allocating.</summary>
    public unsafe void Sign(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        if (destination.Length != LibSodium.SignatureBytes)
            throw new ArgumentException($"An Ed25519 signature needs {LibSodium.SignatureBytes} bytes, not {destination.Length}.", nameof(destination));
        using var lease = _secret.Lease();
        fixed (byte* m = message)
        fixed (byte* s = destination)
        {
            ulong length;
            if (LibSodium.crypto_sign_ed25519_detached(s, &length, m, (ulong)message.Length, lease.Pointer) != 0)
                throw new CryptographicException("libsodium failed to sign.");
        }
    }

    /// <summary>Copies the 32-byte seed (the RFC 8032 private key) out, for writing a key file.</summary>
    public unsafe void ExportSeed(Span<byte> destination)
    {
        if (destination.Length != SeedLength)
            throw new ArgumentException($"The seed needs a {SeedLength}-byte destination, not {destination.Length}.", nameof(destination));
        using var lease = _secret.Lease();
        new ReadOnlySpan<byte>(lease.Pointer, SeedLength).CopyTo(destination);
    }

    public void Dispose() => _secret.Dispose();

    public override string ToString() => "Ed25519SecretKey(***)";

    /// <summary>Unmanaged memory that is zeroed before it is freed; SafeHandle ref-counting keeps
    /// a concurrent Dispose from freeing it in the middle of a Sign.</summary>
    private sealed unsafe class SecretMemoryHandle : SafeHandle
    {
        private readonly nuint _length;

        private SecretMemoryHandle(nuint length) : base(IntPtr.Zero, ownsHandle: true) => _length = length;

        public byte* Pointer => (byte*)handle;

        public override bool IsInvalid => handle == IntPtr.Zero;

        public static SecretMemoryHandle Allocate(int length)
        {
            var memory = new SecretMemoryHandle((nuint)length);
            memory.SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)length));
            return memory;
        }

        public Lease Lease()
        {
            ObjectDisposedException.ThrowIf(IsClosed, typeof(Ed25519SecretKey));
            var added = false;
            DangerousAddRef(ref added);
            return new Lease(this);
        }

        protected override bool ReleaseHandle()
        {
            LibSodium.sodium_memzero((void*)handle, _length);
            NativeMemory.Free((void*)handle);
            return true;
        }
    }

    private readonly unsafe ref struct Lease(SecretMemoryHandle memory)
    {
        public byte* Pointer => memory.Pointer;

        public void Dispose() => memory.DangerousRelease();
    }
}
