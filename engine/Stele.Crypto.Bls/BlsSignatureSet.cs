namespace Stele.Crypto.Bls;

/// <summary>One (public key, message, signature) triple for <see cref="Bls.BatchVerify"/>.</summary>
public readonly record struct BlsSignatureSet(BlsPublicKey PublicKey, ReadOnlyMemory<byte> Message, BlsSignature Signature);
