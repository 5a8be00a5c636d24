using System.Security.Cryptography;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls;

/// <summary>
/// A BLS secret key 0 &lt; sk &lt; r. Held in a pinned buffer that is zeroed on <see cref="Dispose"/>; never printed.
/// Every operation on it (KeyGen reduction, SkToPk, Sign, PopProve) is constant-time in the key.
/// </summary>
public sealed class BlsSecretKey : IDisposable
{
    public const int Length = 32;
    private const string KeyGenSalt = "BLS-SIG-KEYGEN-SALT-";

    // Little-endian scalar in a pinned array so the GC never leaves copies behind.
    private readonly byte[] _scalarLe = GC.AllocateArray<byte>(Length, pinned: true);
    private BlsPublicKey? _publicKey;
    private bool _disposed;

    private BlsSecretKey() { }

    /// <summary>A fresh key from 32 bytes of operating-system randomness (KeyGen with empty key_info).</summary>
    public static BlsSecretKey Generate()
    {
        var ikm = GC.AllocateArray<byte>(32, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(ikm);
            return KeyGen(ikm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    /// <summary>IETF KeyGen (draft-irtf-cfrg-bls-signature-05 §2.3): HKDF-SHA256 on IKM (at least 32 bytes), reduced mod r.</summary>
    public static BlsSecretKey KeyGen(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> keyInfo = default)
    {
        if (ikm.Length < 32) throw new ArgumentException("IKM must be at least 32 bytes", nameof(ikm));
        var key = new BlsSecretKey();
        var ikmPrime = GC.AllocateArray<byte>(ikm.Length + 1, pinned: true);
        var info = new byte[keyInfo.Length + 2];
        var prk = GC.AllocateArray<byte>(32, pinned: true);
        var okm = GC.AllocateArray<byte>(48, pinned: true);
        try
        {
            ikm.CopyTo(ikmPrime); // IKM || I2OSP(0, 1)
            keyInfo.CopyTo(info);
            info[^2] = 0; info[^1] = 48; // key_info || I2OSP(L, 2), L = 48
            byte[] salt = System.Text.Encoding.ASCII.GetBytes(KeyGenSalt);
            // The loop repeats only when the key is zero (probability ~2^-255); the test is not data-dependent otherwise.
            do
            {
                salt = SHA256.HashData(salt);
                HKDF.Extract(HashAlgorithmName.SHA256, ikmPrime, salt, prk);
                HKDF.Expand(HashAlgorithmName.SHA256, prk, okm, info);
                ScalarField.ReduceWide(okm, key._scalarLe);
            }
            while (ScalarField.IsValidSecretMask(key._scalarLe) == 0);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikmPrime);
            CryptographicOperations.ZeroMemory(prk);
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>Imports 32 big-endian bytes (the IETF/Ethereum encoding); rejects 0 and values ≥ r.</summary>
    public static BlsSecretKey FromBytes(ReadOnlySpan<byte> bigEndian)
    {
        if (bigEndian.Length != Length) throw new BlsFormatException(BlsError.WrongLength, "secret key");
        var key = new BlsSecretKey();
        for (int i = 0; i < Length; i++) key._scalarLe[i] = bigEndian[Length - 1 - i];
        if (ScalarField.IsValidSecretMask(key._scalarLe) == 0)
        {
            key.Dispose();
            throw new BlsFormatException(BlsError.SecretKeyOutOfRange, "secret key");
        }
        return key;
    }

    /// <summary>Exports the key as 32 big-endian bytes. Handle the output as a secret.</summary>
    public void ExportBytes(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < Length) throw new ArgumentException("destination must hold 32 bytes", nameof(destination));
        for (int i = 0; i < Length; i++) destination[i] = _scalarLe[Length - 1 - i];
    }

    /// <summary>SkToPk: [sk]·g1 (constant-time), computed once and cached.</summary>
    public BlsPublicKey PublicKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_publicKey is null)
            {
                Curve<Fp>.MulConstantTime(Curve<Fp>.FromAffine(G1.Generator), _scalarLe, out var pk);
                _publicKey = new BlsPublicKey(Curve<Fp>.ToAffine(pk));
            }
            return _publicKey;
        }
    }

    /// <summary>Sign: [sk]·H(message) with the POP ciphersuite's signature DST.</summary>
    public BlsSignature Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new BlsSignature(BlsCore.CoreSign(_scalarLe, message, BlsCore.SignatureDst));
    }

    /// <summary>PopProve: [sk]·H_pop(compressed public key).</summary>
    public BlsProofOfPossession ProvePossession()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new BlsProofOfPossession(BlsCore.CoreSign(_scalarLe, PublicKey.CompressedBytes, BlsCore.PopDst));
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_scalarLe);
        _disposed = true;
    }

    public override string ToString() => "BlsSecretKey(***)";
}
