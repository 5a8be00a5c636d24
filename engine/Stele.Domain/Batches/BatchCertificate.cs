using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Encoding;
using Stele.Domain.Identity;

namespace Stele.Domain.Batches;

/// <summary>
/// Published at <c>batch/&lt;root hex&gt;</c>: who signed a batch and how, so anyone can re-check the
/// batch from the files alone (docs/log-format.md, "Batch certificates").
/// </summary>
public abstract record BatchCertificate(BatchRoot Root, ulong FirstLeaf, uint Count)
{
    private static readonly byte[] Magic = "stele-batch/v1\n"u8.ToArray();

    public static string KeyFor(BatchRoot root) => $"batch/{root}";

    protected abstract byte Kind { get; }

    protected abstract void WriteProof(FormatWriter writer);

    public byte[] ToBytes()
    {
        var writer = new FormatWriter(256).Bytes(Magic).U8(Kind).Hash(Root.Hash).U64(FirstLeaf).U32(Count);
        WriteProof(writer);
        return writer.ToArray();
    }

    public static BatchCertificate Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new FormatReader(bytes, "batch certificate");
        reader.Expect(Magic, "magic");
        var kind = reader.U8("kind");
        var root = BatchRoot.FromBytes(reader.Bytes(BatchRoot.Length, "batch root"));
        var first = reader.U64("first leaf");
        var count = reader.U32("count");
        if (count is 0 or > BatchTree.MaxEntries) throw new LogFormatException($"batch certificate: count {count} out of range");
        BatchCertificate certificate = kind switch
        {
            1 => new SingleClientBatchCertificate(root, first, count, new ClientId(reader.U64("client id")),
                Ed25519Signature.FromBytes(reader.Bytes(Ed25519Signature.Length, "signature"))),
            2 => DistilledBatchCertificate.ReadProof(ref reader, root, first, count),
            _ => throw new LogFormatException($"batch certificate: unknown kind {kind}"),
        };
        reader.End();
        return certificate;
    }
}

/// <summary>A batch one client posted under one Ed25519 signature over the batch root.</summary>
public sealed record SingleClientBatchCertificate(BatchRoot Root, ulong FirstLeaf, uint Count, ClientId Client, Ed25519Signature Signature)
    : BatchCertificate(Root, FirstLeaf, Count)
{
    protected override byte Kind => 1;

    protected override void WriteProof(FormatWriter writer) => writer.U64(Client.Value).Bytes(Signature.AsSpan());
}

/// <summary>A straggler's own signature over its entry, standing in for a missing BLS share.</summary>
public sealed record Straggler(ClientId Client, ulong Sequence, Ed25519Signature Signature);

/// <summary>A broker's distilled batch: participants' BLS shares aggregated into one signature.</summary>
public sealed record DistilledBatchCertificate(
    BatchRoot Root, ulong FirstLeaf, uint Count, IReadOnlyList<ClientId> Participants, BlsSignature Aggregate, IReadOnlyList<Straggler> Stragglers)
    : BatchCertificate(Root, FirstLeaf, Count)
{
    protected override byte Kind => 2;

    /// <summary>
    /// The aggregate of a batch whose entries are ALL stragglers: the identity point of G2 (0xc0, then
    /// zeros), the sum of no shares. No key signs it, and readers accept it only with no participants.
    /// </summary>
    public static byte[] NoParticipantsAggregate()
    {
        var bytes = new byte[BlsSignature.CompressedLength];
        bytes[0] = 0xC0;
        return bytes;
    }

    protected override void WriteProof(FormatWriter writer)
    {
        writer.U32((uint)Participants.Count);
        for (var i = 0; i < Participants.Count; i++)
        {
            if (i > 0 && Participants[i - 1].CompareTo(Participants[i]) >= 0)
                throw new InvalidOperationException("Participants must be in strictly ascending client-id order.");
            writer.U64(Participants[i].Value);
        }
        writer.Bytes(Aggregate.ToBytes()).U32((uint)Stragglers.Count);
        foreach (var straggler in Stragglers) writer.U64(straggler.Client.Value).U64(straggler.Sequence).Bytes(straggler.Signature.AsSpan());
    }

    internal static DistilledBatchCertificate ReadProof(ref FormatReader reader, BatchRoot root, ulong first, uint count)
    {
        var participantCount = reader.U32("participant count");
        if (participantCount > count) throw new LogFormatException("batch certificate: more participants than entries");
        var participants = new ClientId[participantCount];
        for (var i = 0; i < participants.Length; i++)
        {
            participants[i] = new ClientId(reader.U64("participant"));
            if (i > 0 && participants[i - 1].CompareTo(participants[i]) >= 0) throw new LogFormatException("batch certificate: participants not in strictly ascending order");
        }
        BlsSignature aggregate;
        try
        {
            aggregate = BlsSignature.FromBytes(reader.Bytes(BlsSignature.CompressedLength, "aggregate signature"));
        }
        catch (BlsFormatException ex)
        {
            throw new LogFormatException($"batch certificate: invalid aggregate signature: {ex.Message}");
        }
        var stragglerCount = reader.U32("straggler count");
        if (stragglerCount > count) throw new LogFormatException("batch certificate: more stragglers than entries");
        var stragglers = new Straggler[stragglerCount];
        for (var i = 0; i < stragglers.Length; i++)
            stragglers[i] = new Straggler(new ClientId(reader.U64("straggler client")), reader.U64("straggler sequence"),
                Ed25519Signature.FromBytes(reader.Bytes(Ed25519Signature.Length, "straggler signature")));
        return new DistilledBatchCertificate(root, first, count, participants, aggregate, stragglers);
    }
}
