using System.Security.Cryptography;
using Stele.Crypto.Bls;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Records;
using Stele.Domain.Signing;

namespace Stele.Reader.Verification;

/// <summary>The signature checks of the log format, each returning null when it holds or the problem in words.</summary>
internal static class SignatureChecks
{
    public static string? Registration(LogOrigin origin, RegisteredClient client)
    {
        var r = client.Record;
        var derived = ClientId.FromKeys(r.Ed25519Key, r.BlsKey);
        if (derived != r.Client) return $"registration: client id {r.Client} does not derive from its keys (they give {derived})";
        if (!r.Ed25519Key.Verify(SigningMessages.Registration(origin, r.Client, r.Ed25519Key, r.BlsKey), r.SelfSignature))
            return $"registration of client {r.Client}: the Ed25519 self-signature does not verify";
        if (!Bls.PopVerify(r.BlsKey, r.ProofOfPossession, out var proven))
            return $"registration of client {r.Client}: the BLS proof of possession does not verify";
        client.ProvenBlsKey = proven;
        return null;
    }

    public static string? Entry(LogOrigin origin, EntryRecord entry, RegisteredClient client) =>
        client.Ed25519Key.Verify(SigningMessages.Entry(origin, entry.Descriptor), entry.Signature)
            ? null
            : $"entry signature does not verify under client {entry.Descriptor.Client}'s registered Ed25519 key";

    /// <summary>Checks one batch against its certificate: root, placement, and every entry's coverage by a signature.</summary>
    public static string? Batch(LogOrigin origin, OpenBatch batch, BatchCertificate certificate, ClientRegistry clients)
    {
        if (certificate.Root != batch.Root) return $"certificate is for batch root {certificate.Root}";
        if (certificate.FirstLeaf != batch.FirstLeaf || certificate.Count != (uint)batch.Descriptors.Count)
            return $"certificate places the batch at leaves {certificate.FirstLeaf}+{certificate.Count}, the log at {batch.FirstLeaf}+{batch.Descriptors.Count}";
        BatchTree tree;
        try
        {
            tree = BatchTree.Build(batch.Descriptors);
        }
        catch (ArgumentException e)
        {
            return $"batch entries are not a valid batch: {e.Message}";
        }
        if (tree.Root != batch.Root) return $"the batch's entries give root {tree.Root}, not {batch.Root}";
        return certificate switch
        {
            SingleClientBatchCertificate single => SingleClient(origin, batch, single, clients),
            DistilledBatchCertificate distilled => Distilled(origin, batch, distilled, clients),
            _ => "unknown kind of batch certificate",
        };
    }

    private static string? SingleClient(LogOrigin origin, OpenBatch batch, SingleClientBatchCertificate certificate, ClientRegistry clients)
    {
        if (clients.Find(certificate.Client, batch.FirstLeaf) is not { } client)
            return $"certificate signer {certificate.Client} is not registered before the batch";
        foreach (var descriptor in batch.Descriptors)
        {
            if (descriptor.Client != certificate.Client)
                return $"entry of client {descriptor.Client} in a batch signed by client {certificate.Client} alone";
        }
        return client.Ed25519Key.Verify(SigningMessages.Batch(origin, certificate.Client, batch.Root, batch.Descriptors.Count), certificate.Signature)
            ? null
            : $"batch signature of client {certificate.Client} does not verify";
    }

    private static string? Distilled(LogOrigin origin, OpenBatch batch, DistilledBatchCertificate certificate, ClientRegistry clients)
    {
        var participants = new HashSet<ClientId>(certificate.Participants);
        var stragglers = new Dictionary<(ClientId, ulong), Ed25519SignatureRef>();
        foreach (var s in certificate.Stragglers)
        {
            if (!stragglers.TryAdd((s.Client, s.Sequence), new Ed25519SignatureRef(s.Signature)))
                return $"straggler {s.Client}/{s.Sequence} appears twice";
        }
        var used = 0;
        foreach (var descriptor in batch.Descriptors)
        {
            if (stragglers.TryGetValue((descriptor.Client, descriptor.Sequence), out var signature))
            {
                used++;
                if (clients.Find(descriptor.Client, batch.FirstLeaf) is not { } client)
                    return $"straggler {descriptor.Client} is not registered before the batch";
                if (!client.Ed25519Key.Verify(SigningMessages.Entry(origin, descriptor), signature.Signature))
                    return $"straggler signature of client {descriptor.Client} (sequence {descriptor.Sequence}) does not verify";
            }
            else if (!participants.Contains(descriptor.Client))
            {
                return $"entry of client {descriptor.Client} (sequence {descriptor.Sequence}) is covered by neither the aggregate nor a straggler signature";
            }
        }
        if (used != stragglers.Count) return "a straggler signature names no entry of the batch";
        if (certificate.Participants.Count == 0) return used == batch.Descriptors.Count ? null : "a distilled batch without participants";
        var keys = new BlsProvenPublicKey[certificate.Participants.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var id = certificate.Participants[i];
            if (clients.Find(id, batch.FirstLeaf) is not { } client) return $"participant {id} is not registered before the batch";
            keys[i] = client.ProvenBlsKey ?? throw new InvalidOperationException($"participant {id}'s proof of possession was not checked first");
        }
        return Bls.FastAggregateVerify(keys, SigningMessages.Distilled(origin, batch.Root, batch.Descriptors.Count), certificate.Aggregate)
            ? null
            : $"the aggregate BLS signature of {keys.Length} participants does not verify";
    }

    private readonly record struct Ed25519SignatureRef(Crypto.Ed25519.Ed25519Signature Signature);
}

/// <summary>The consecutive leaves of one batch, gathered while reading bundles.</summary>
internal sealed class OpenBatch(BatchRoot root, ulong firstLeaf)
{
    public BatchRoot Root { get; } = root;
    public ulong FirstLeaf { get; } = firstLeaf;
    public List<EntryDescriptor> Descriptors { get; } = [];
}

/// <summary>BLAKE3-keyed streaming of a blob against its commitment and size.</summary>
internal static class BlobCheck
{
    public static async Task<string?> CheckAsync(Stream blob, BlobReference reference, Action<long> progress, CancellationToken cancellationToken)
    {
        using var hasher = Commitment.StartHashing(reference.Salt);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            ulong total = 0;
            int read;
            while ((read = await blob.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += (ulong)read;
                if (total > reference.Size) return $"blob is longer than the entry's size {reference.Size}";
                hasher.Update(buffer.AsSpan(0, read));
                progress(read);
            }
            if (total != reference.Size) return $"blob has {total} bytes; the entry's size is {reference.Size}";
            return Commitment.FromHasher(hasher).Equals(reference.Commitment) ? null : "blob content does not match the entry's commitment";
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

internal static class Digests
{
    public static byte[] Sha256(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes);
}
