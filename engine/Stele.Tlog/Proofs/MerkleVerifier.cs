using System.Numerics;

namespace Stele.Tlog.Proofs;

/// <summary>The outcome of a proof check: success, or the reason it failed.</summary>
public readonly record struct ProofCheck(bool IsValid, string? Failure)
{
    internal static ProofCheck Valid => new(true, null);

    internal static ProofCheck Invalid(string reason) => new(false, reason);

    /// <summary>Throws <see cref="ProofVerificationException"/> unless the proof verified.</summary>
    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new ProofVerificationException(Failure ?? "proof did not verify");
    }
}

/// <summary>A Merkle proof did not verify.</summary>
public sealed class ProofVerificationException(string message) : Exception(message);

/// <summary>
/// RFC 9162 section 2.1.3.2 (inclusion) and 2.1.4.2 (consistency) verification. Every malformed
/// input — index outside the tree, too short or too long a proof, wrong hashes — is a failure.
/// </summary>
public static class MerkleVerifier
{
    private const int MaxProofLength = 64;

    public static bool VerifyInclusion(LeafIndex index, TreeSize size, Hash leafHash, ReadOnlySpan<Hash> proof, Hash root) =>
        CheckInclusion(index, size, leafHash, proof, root).IsValid;

    public static ProofCheck CheckInclusion(LeafIndex index, TreeSize size, Hash leafHash, ReadOnlySpan<Hash> proof, Hash root)
    {
        if (!size.Contains(index)) return ProofCheck.Invalid($"leaf {index} is not in a tree of size {size}");
        if (proof.Length > MaxProofLength) return ProofCheck.Invalid($"an inclusion proof has at most {MaxProofLength} hashes, not {proof.Length}");
        var fn = index.Value;
        var sn = size.Value - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0) return ProofCheck.Invalid($"the proof is longer than a tree of size {size} needs");
            if ((fn & 1) == 1 || fn == sn)
            {
                r = Rfc6962.HashChildren(p, r);
                if ((fn & 1) == 0) ShiftUntilOddOrZero(ref fn, ref sn);
            }
            else
            {
                r = Rfc6962.HashChildren(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) return ProofCheck.Invalid($"the proof is shorter than a tree of size {size} needs");
        return r == root ? ProofCheck.Valid : ProofCheck.Invalid("the proof leads to a different root");
    }

    public static bool VerifyConsistency(TreeSize oldSize, TreeSize newSize, ReadOnlySpan<Hash> proof, Hash oldRoot, Hash newRoot) =>
        CheckConsistency(oldSize, newSize, proof, oldRoot, newRoot).IsValid;

    /// <summary>
    /// Checks that the tree of <paramref name="oldSize"/> is a prefix of the one of <paramref name="newSize"/>.
    /// Like Go's sumdb/tlog and transparency-dev/merkle, an old size of 0 is rejected: the empty tree
    /// is a prefix of everything, so such a "proof" would prove nothing and usually signals a bug.
    /// </summary>
    public static ProofCheck CheckConsistency(TreeSize oldSize, TreeSize newSize, ReadOnlySpan<Hash> proof, Hash oldRoot, Hash newRoot)
    {
        if (oldSize.IsEmpty) return ProofCheck.Invalid("consistency from the empty tree proves nothing; start from a non-empty checkpoint");
        if (oldSize > newSize) return ProofCheck.Invalid($"old size {oldSize} is larger than new size {newSize}");
        if (proof.Length > MaxProofLength) return ProofCheck.Invalid($"a consistency proof has at most {MaxProofLength} hashes, not {proof.Length}");
        if (oldSize == newSize)
        {
            if (!proof.IsEmpty) return ProofCheck.Invalid("equal sizes need an empty proof");
            return oldRoot == newRoot ? ProofCheck.Valid : ProofCheck.Invalid("equal sizes but different roots");
        }
        if (proof.IsEmpty) return ProofCheck.Invalid("the proof is empty");

        // A power-of-two old tree is itself a node of the new tree: its root starts the path.
        var prepend = BitOperations.IsPow2(oldSize.Value);
        var total = proof.Length + (prepend ? 1 : 0);

        var fn = oldSize.Value - 1;
        var sn = newSize.Value - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        var first = prepend ? oldRoot : proof[0];
        var fr = first;
        var sr = first;
        for (var i = 1; i < total; i++)
        {
            var c = prepend ? proof[i - 1] : proof[i];
            if (sn == 0) return ProofCheck.Invalid($"the proof is longer than sizes {oldSize} → {newSize} need");
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = Rfc6962.HashChildren(c, fr);
                sr = Rfc6962.HashChildren(c, sr);
                if ((fn & 1) == 0) ShiftUntilOddOrZero(ref fn, ref sn);
            }
            else
            {
                sr = Rfc6962.HashChildren(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) return ProofCheck.Invalid($"the proof is shorter than sizes {oldSize} → {newSize} need");
        if (fr != oldRoot) return ProofCheck.Invalid("the proof does not lead to the old root");
        if (sr != newRoot) return ProofCheck.Invalid("the proof does not lead to the new root");
        return ProofCheck.Valid;
    }

    private static void ShiftUntilOddOrZero(ref ulong fn, ref ulong sn)
    {
        while ((fn & 1) == 0 && fn != 0)
        {
            fn >>= 1;
            sn >>= 1;
        }
    }
}
