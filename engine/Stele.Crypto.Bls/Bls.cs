namespace Stele.Crypto.Bls;

/// <summary>
/// IETF BLS signatures, ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (public keys in G1,
/// signatures in G2, rogue-key defence by proof of possession).
/// </summary>
public static class Bls
{
    public const string SignatureDst = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    public const string ProofOfPossessionDst = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    /// <summary>Verify: one signer, one message.</summary>
    public static bool Verify(BlsPublicKey publicKey, ReadOnlySpan<byte> message, BlsSignature signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(signature);
        return BlsCore.CoreVerify(publicKey.Point, message, signature.Point, BlsCore.SignatureDst);
    }

    /// <summary>
    /// PopVerify: checks the proof and, only if it holds, returns the key as a <see cref="BlsProvenPublicKey"/>,
    /// the one type <see cref="FastAggregateVerify(ReadOnlySpan{BlsProvenPublicKey}, ReadOnlySpan{byte}, BlsSignature)"/> accepts.
    /// </summary>
    public static bool PopVerify(BlsPublicKey publicKey, BlsProofOfPossession proof, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BlsProvenPublicKey? proven)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(proof);
        proven = null;
        if (!BlsCore.CoreVerify(publicKey.Point, publicKey.CompressedBytes, proof.Point, BlsCore.PopDst)) return false;
        proven = new BlsProvenPublicKey(publicKey);
        return true;
    }

    /// <summary>Aggregate: the sum of the signatures. Throws on an empty list (the spec's INVALID).</summary>
    public static BlsSignature Aggregate(ReadOnlySpan<BlsSignature> signatures)
    {
        if (signatures.IsEmpty) throw new ArgumentException("cannot aggregate an empty list of signatures", nameof(signatures));
        var aggregator = new BlsSignatureAggregator();
        foreach (var s in signatures) aggregator.Add(s);
        return aggregator.ToSignature();
    }

    /// <summary>AggregateVerify: n signers, n messages, one aggregate signature. False for an empty list.</summary>
    public static bool AggregateVerify(ReadOnlySpan<BlsPublicKey> publicKeys, ReadOnlySpan<ReadOnlyMemory<byte>> messages, BlsSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (publicKeys.Length != messages.Length || publicKeys.IsEmpty) return false;
        int n = publicKeys.Length;
        var ps = new Curve.Affine<Field.Fp>[n + 1];
        var qs = new Curve.Affine<Field.Fp2>[n + 1];
        for (int i = 0; i < n; i++)
        {
            ArgumentNullException.ThrowIfNull(publicKeys[i]);
            ps[i] = publicKeys[i].Point;
            qs[i] = BlsCore.HashToPoint(messages[i].Span, BlsCore.SignatureDst);
        }
        ps[n] = BlsCore.NegatedG1Generator;
        qs[n] = signature.Point;
        return Pairing.Pairings.ProductIsOne(ps, qs);
    }

    /// <summary>FastAggregateVerify: many signers, one message. Only proven keys are accepted. False for an empty list.</summary>
    public static bool FastAggregateVerify(ReadOnlySpan<BlsProvenPublicKey> publicKeys, ReadOnlySpan<byte> message, BlsSignature signature)
    {
        if (publicKeys.IsEmpty) return false;
        return FastAggregateVerify(BlsAggregatePublicKey.Aggregate(publicKeys), message, signature);
    }

    /// <summary>FastAggregateVerify against keys aggregated beforehand (e.g. once per committee).</summary>
    public static bool FastAggregateVerify(BlsAggregatePublicKey aggregate, ReadOnlySpan<byte> message, BlsSignature signature)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(signature);
        if (aggregate.Point.IsInfinity) return false;
        return BlsCore.CoreVerify(aggregate.Point, message, signature.Point, BlsCore.SignatureDst);
    }

    /// <summary>
    /// Verifies many (key, message, signature) sets at once with a random linear combination: true only if
    /// every set verifies (a forged set slips through with probability at most 2^-64). False for an empty list.
    /// </summary>
    public static bool BatchVerify(ReadOnlySpan<BlsSignatureSet> sets) => BatchVerifier.Verify(sets);
}
