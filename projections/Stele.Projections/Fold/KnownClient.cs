using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Identity;

namespace Stele.Projections.Fold;

/// <summary>
/// A registered client as the fold knows it. Its BLS key was proven at registration; after a
/// restart the proof is re-checked lazily, the first time a distilled batch needs the key.
/// </summary>
public sealed class KnownClient
{
    private BlsProvenPublicKey? _proven;

    public KnownClient(ClientId id, Ed25519PublicKey ed25519, BlsPublicKey bls, BlsProofOfPossession proof, ulong leaf, ulong? lastSequence, BlsProvenPublicKey? proven = null)
    {
        Id = id;
        Ed25519 = ed25519;
        Bls = bls;
        ProofOfPossession = proof;
        Leaf = leaf;
        LastSequence = lastSequence;
        _proven = proven;
    }

    public ClientId Id { get; }
    public Ed25519PublicKey Ed25519 { get; }
    public BlsPublicKey Bls { get; }
    public BlsProofOfPossession ProofOfPossession { get; }

    /// <summary>The leaf of its registration record.</summary>
    public ulong Leaf { get; }

    /// <summary>The highest sequence number accepted from it, or null before its first entry.</summary>
    public ulong? LastSequence { get; set; }

    /// <summary>Whether <paramref name="sequence"/> is newer than every accepted one.</summary>
    public bool IsFresh(ulong sequence) => LastSequence is not { } last || sequence > last;

    /// <summary>The proven BLS key (re-checking the stored proof once after a restart).</summary>
    public BlsProvenPublicKey ProvenBls
    {
        get
        {
            if (_proven is null)
            {
                if (!Stele.Crypto.Bls.Bls.PopVerify(Bls, ProofOfPossession, out var proven))
                    throw new InvalidOperationException($"stored proof of possession of client {Id} does not verify: the read model is corrupt");
                _proven = proven;
            }
            return _proven;
        }
    }
}
