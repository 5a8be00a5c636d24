using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls;

/// <summary>
/// Builds large, valid benchmark data cheaply: signer i has secret key i·sk, so its public key is the
/// running sum of pk and its signature on the shared message the running sum of σ — n additions
/// instead of n scalar multiplications. For tests and `stele bench bls` only.
/// </summary>
internal static class BenchmarkFixtures
{
    internal static (BlsProvenPublicKey[] Keys, BlsSignature[] Signatures) SignersOfOneMessage(BlsSecretKey baseKey, ReadOnlySpan<byte> message, int count)
    {
        var pk = baseKey.PublicKey.Point;
        var sig = baseKey.Sign(message).Point;
        var pks = new Point<Fp>[count];
        var sigs = new Point<Fp2>[count];
        var accPk = Point<Fp>.Identity;
        var accSig = Point<Fp2>.Identity;
        for (int i = 0; i < count; i++)
        {
            Curve<Fp>.AddMixed(accPk, pk.X, pk.Y, out accPk);
            Curve<Fp2>.AddMixed(accSig, sig.X, sig.Y, out accSig);
            pks[i] = accPk;
            sigs[i] = accSig;
        }
        var pkAffine = new Affine<Fp>[count];
        var sigAffine = new Affine<Fp2>[count];
        Curve<Fp>.BatchToAffine(pks, pkAffine);
        Curve<Fp2>.BatchToAffine(sigs, sigAffine);
        var keys = new BlsProvenPublicKey[count];
        var signatures = new BlsSignature[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = new BlsProvenPublicKey(new BlsPublicKey(pkAffine[i]));
            signatures[i] = new BlsSignature(sigAffine[i]);
        }
        return (keys, signatures);
    }
}
