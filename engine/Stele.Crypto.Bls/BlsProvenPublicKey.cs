namespace Stele.Crypto.Bls;

/// <summary>
/// A public key whose proof of possession has been verified. The only way to get one is
/// <see cref="Bls.PopVerify"/>, so FastAggregateVerify cannot be called on unproven (possibly rogue) keys.
/// </summary>
public sealed class BlsProvenPublicKey
{
    internal BlsProvenPublicKey(BlsPublicKey key) => PublicKey = key;

    public BlsPublicKey PublicKey { get; }

    public override string ToString() => PublicKey.ToString();
}
