using System.Security.Cryptography;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Signing;
using Stele.Projections.Fold;

namespace Stele.Projections.Tests.Support;

/// <summary>A client with both keys that builds correctly signed events (and their openings) for a log origin.</summary>
internal sealed class TestClient : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public TestClient(LogOrigin origin)
    {
        Origin = origin;
        Ed = Ed25519SecretKey.Generate();
        Bls = BlsSecretKey.Generate();
        Id = ClientId.FromKeys(Ed.PublicKey, Bls.PublicKey);
    }

    public LogOrigin Origin { get; }
    public Ed25519SecretKey Ed { get; }
    public BlsSecretKey Bls { get; }
    public ClientId Id { get; }

    public ClientRegistered Registration() => ClientRegistrations.Sign(Origin, Ed, Bls, At);

    /// <summary>An entry's facts and opening for <paramref name="content"/> under a fresh salt.</summary>
    public (EntryFacts Facts, EntryDescriptor Descriptor, Commitment Commitment, Opening Opening) Content(ulong sequence, byte[] content, string mediaType = "text/plain")
    {
        var salt = Salt.NewRandom();
        var commitment = Commitment.Compute(salt, content);
        var facts = new EntryFacts(Id.Value, sequence, Bytes(commitment), (ulong)content.Length, mediaType);
        var descriptor = new EntryDescriptor(Id, sequence, commitment, (ulong)content.Length, new MediaType(mediaType));
        return (facts, descriptor, commitment, new Opening(salt, (ulong)content.Length, content, null));
    }

    public EntrySubmitted Entry(ulong sequence, OpeningTable openings, byte[]? content = null)
    {
        var (facts, descriptor, commitment, opening) = Content(sequence, content ?? RandomNumberGenerator.GetBytes(40));
        openings.Add(commitment, opening);
        return new EntrySubmitted(facts, Ed.Sign(SigningMessages.Entry(Origin, descriptor)).ToArray(), At);
    }

    public BatchSubmitted Batch(IEnumerable<ulong> sequences, OpeningTable openings)
    {
        var items = sequences.Select(s => Content(s, RandomNumberGenerator.GetBytes(24))).ToArray();
        foreach (var item in items) openings.Add(item.Commitment, item.Opening);
        var root = BatchTree.Build(items.Select(i => i.Descriptor).ToArray()).Root;
        var signature = Ed.Sign(SigningMessages.Batch(Origin, Id, root, items.Length)).ToArray();
        return new BatchSubmitted(Id.Value, Bytes(root), signature, items.Select(i => i.Facts).ToArray(), At);
    }

    public byte[] SignEntry(EntryDescriptor descriptor) => Ed.Sign(SigningMessages.Entry(Origin, descriptor)).ToArray();

    public static byte[] Bytes(Commitment commitment)
    {
        var bytes = new byte[32];
        commitment.CopyTo(bytes);
        return bytes;
    }

    public static byte[] Bytes(BatchRoot root)
    {
        var bytes = new byte[32];
        root.CopyTo(bytes);
        return bytes;
    }

    public void Dispose()
    {
        Ed.Dispose();
        Bls.Dispose();
    }
}

/// <summary>Builds a broker's distilled batch over entries of several clients.</summary>
internal static class Distiller
{
    /// <summary>Participants sign the root with BLS; <paramref name="stragglers"/> sign their entries with Ed25519 instead.</summary>
    public static BatchDistilled Distil(
        LogOrigin origin, IReadOnlyList<(TestClient Client, ulong Sequence)> entries, OpeningTable openings, ISet<TestClient>? stragglers = null)
    {
        stragglers ??= new HashSet<TestClient>();
        var items = entries.Select(e => (e.Client, Item: e.Client.Content(e.Sequence, RandomNumberGenerator.GetBytes(16))))
            .OrderBy(x => x.Item.Descriptor.Client).ThenBy(x => x.Item.Descriptor.Sequence).ToArray();
        foreach (var (_, item) in items) openings.Add(item.Commitment, item.Opening);
        var root = BatchTree.Build(items.Select(i => i.Item.Descriptor).ToArray()).Root;
        var message = SigningMessages.Distilled(origin, root, items.Length);
        var participants = items.Select(i => i.Client).Where(c => !stragglers.Contains(c)).Distinct().OrderBy(c => c.Id).ToArray();
        var aggregate = Bls.Aggregate(participants.Select(p => p.Bls.Sign(message)).ToArray());
        var stragglerSignatures = items.Where(i => stragglers.Contains(i.Client))
            .Select(i => new StragglerSignature(i.Client.Id.Value, i.Item.Descriptor.Sequence, i.Client.SignEntry(i.Item.Descriptor))).ToArray();
        return new BatchDistilled("broker-1", TestClient.Bytes(root), participants.Select(p => p.Id.Value).ToArray(), aggregate.ToBytes(),
            stragglerSignatures, items.Select(i => i.Item.Facts).ToArray(), DateTimeOffset.UnixEpoch);
    }
}
