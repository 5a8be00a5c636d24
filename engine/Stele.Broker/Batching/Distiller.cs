using Stele.Broker.Clients;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Broker.Batching;

/// <summary>
/// Turns a proposal's shares into one aggregate signature: aggregate everything, verify once, and if
/// that fails bisect to find the bad shares (each half is one aggregate check, so k bad shares among
/// n cost about 2k·log2(n) checks). Clients without a good share keep their entries only as
/// stragglers with a valid individual Ed25519 signature, checked in parallel. Runs off the worker
/// thread; reads the batch, never writes it.
/// </summary>
internal static class Distiller
{
    public static DistilOutcome Distil(Batch batch, ClientDirectory directory, LogOrigin origin)
    {
        var message = SigningMessages.Distilled(origin, Stele.Domain.Batches.BatchRoot.FromBytes(batch.Root), batch.Size);
        var candidates = new List<int>(batch.SharesReceived);
        var badShares = 0;
        for (var r = 0; r < batch.Ranges; r++)
        {
            if (batch.ShareLength[r] == 0) continue;
            if (!directory.TryGet(batch.RangeClient[r], out _) || !IsWellFormed(batch.Share(r))) badShares++;
            else candidates.Add(r);
        }
        var good = new List<int>(candidates.Count);
        BlsSignature? aggregate = null;
        if (candidates.Count > 0)
        {
            if (Verify(batch, directory, message, candidates, out aggregate)) good.AddRange(candidates);
            else
            {
                Bisect(batch, directory, message, candidates, good);
                badShares += candidates.Count - good.Count;
                aggregate = good.Count > 0 && Verify(batch, directory, message, good, out var again) ? again : null;
                if (aggregate is null) good.Clear();
            }
        }

        var covered = new bool[batch.Ranges];
        foreach (var r in good) covered[r] = true;
        var needSignature = new List<int>();
        for (var r = 0; r < batch.Ranges; r++)
        {
            if (covered[r]) continue;
            for (var leaf = batch.RangeFirst[r]; leaf < batch.RangeFirst[r] + batch.RangeCount[r]; leaf++) needSignature.Add(batch.Order[leaf]);
        }
        var valid = new bool[needSignature.Count];
        Parallel.For(0, needSignature.Count, i => valid[i] = VerifyStraggler(batch, directory, origin, needSignature[i]));
        var stragglers = needSignature.Where((_, i) => valid[i]).ToArray();
        var uncovered = needSignature.Where((_, i) => !valid[i]).ToArray();
        var badSignatures = needSignature.Where((e, i) => !valid[i] && batch.Signed[e]).Count();
        return new DistilOutcome([.. good], aggregate?.ToBytes(), stragglers, uncovered, badShares, badSignatures);
    }

    private static bool IsWellFormed(ReadOnlySpan<byte> share) => new BlsSignatureAggregator().TryAdd(share, out _);

    /// <summary>One aggregate check over the shares of <paramref name="ranges"/>.</summary>
    private static bool Verify(Batch batch, ClientDirectory directory, byte[] message, List<int> ranges, out BlsSignature? aggregate)
    {
        aggregate = null;
        var aggregator = new BlsSignatureAggregator();
        var keys = new BlsProvenPublicKey[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            if (!aggregator.TryAdd(batch.Share(ranges[i]), out _)) return false;
            keys[i] = directory.TryGet(batch.RangeClient[ranges[i]], out var client) ? client.Bls : throw new InvalidOperationException("participant vanished from the directory");
        }
        try
        {
            aggregate = aggregator.ToSignature();
        }
        catch (BlsFormatException)
        {
            return false; // the sum is outside G2: some share carries a small-order component
        }
        return Bls.FastAggregateVerify(keys, message, aggregate);
    }

    private static void Bisect(Batch batch, ClientDirectory directory, byte[] message, List<int> ranges, List<int> good)
    {
        if (ranges.Count == 0) return;
        if (Verify(batch, directory, message, ranges, out _))
        {
            good.AddRange(ranges);
            return;
        }
        if (ranges.Count == 1) return;
        var half = ranges.Count / 2;
        Bisect(batch, directory, message, ranges.GetRange(0, half), good);
        Bisect(batch, directory, message, ranges.GetRange(half, ranges.Count - half), good);
    }

    private static bool VerifyStraggler(Batch batch, ClientDirectory directory, LogOrigin origin, int entry)
    {
        if (!batch.Signed[entry] || !directory.TryGet(batch.Client[entry], out var client)) return false;
        var descriptor = Descriptor(batch, entry);
        return client.Ed25519.Verify(SigningMessages.Entry(origin, descriptor), Ed25519Signature.FromBytes(batch.Signature(entry)));
    }

    public static EntryDescriptor Descriptor(Batch batch, int entry) =>
        new(new ClientId(batch.Client[entry]), batch.Sequence[entry], Commitment.FromBytes(batch.Commitment(entry)), batch.ContentLength[entry],
            new MediaType(System.Text.Encoding.ASCII.GetString(batch.MediaType(entry))));
}
