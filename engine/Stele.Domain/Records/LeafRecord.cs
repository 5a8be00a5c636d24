using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Encoding;
using Stele.Domain.Identity;

namespace Stele.Domain.Records;

/// <summary>
/// One leaf of the log as published in an entry bundle (docs/log-format.md, "Leaf records").
/// Records say what was committed and who signed it, never the content.
/// </summary>
public abstract record LeafRecord
{
    public const byte Version = 1;

    public abstract LeafKind Kind { get; }

    protected abstract void WriteBody(FormatWriter writer);

    public byte[] ToBytes()
    {
        var writer = new FormatWriter(128);
        writer.U8(Version).U8((byte)Kind);
        WriteBody(writer);
        if (writer.Length > ushort.MaxValue) throw new InvalidOperationException("A leaf record must fit a tlog-tiles bundle entry (64 KiB).");
        return writer.ToArray();
    }

    /// <summary>Parses one record strictly: unknown versions or kinds, truncation and trailing bytes are errors.</summary>
    public static LeafRecord Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new FormatReader(bytes, "leaf record");
        var version = reader.U8("version");
        if (version != Version) throw new LogFormatException($"leaf record: unsupported version {version}");
        var kind = (LeafKind)reader.U8("kind");
        LeafRecord record = kind switch
        {
            LeafKind.Registration => RegistrationRecord.ReadBody(ref reader),
            LeafKind.Entry => EntryRecord.ReadBody(ref reader),
            LeafKind.BatchedEntry => BatchedEntryRecord.ReadBody(ref reader),
            LeafKind.Redaction => RedactionRecord.ReadBody(ref reader),
            _ => throw new LogFormatException($"leaf record: unknown kind {(byte)kind}"),
        };
        reader.End();
        return record;
    }
}

public enum LeafKind : byte
{
    Registration = 1,
    Entry = 2,
    BatchedEntry = 3,
    Redaction = 4,
}

/// <summary>A client's keys, published so every later signature can be checked from the files alone.</summary>
public sealed record RegistrationRecord(
    ClientId Client, Ed25519PublicKey Ed25519Key, BlsPublicKey BlsKey, BlsProofOfPossession ProofOfPossession, Ed25519Signature SelfSignature) : LeafRecord
{
    public override LeafKind Kind => LeafKind.Registration;

    protected override void WriteBody(FormatWriter writer) =>
        writer.U64(Client.Value).Bytes(Ed25519Key.AsSpan()).Bytes(BlsKey.ToBytes()).Bytes(ProofOfPossession.ToBytes()).Bytes(SelfSignature.AsSpan());

    internal static RegistrationRecord ReadBody(ref FormatReader reader)
    {
        var client = new ClientId(reader.U64("client id"));
        var ed = Ed25519PublicKey.FromBytes(reader.Bytes(Ed25519PublicKey.Length, "Ed25519 key"));
        var bls = Wrap(reader.Bytes(BlsPublicKey.CompressedLength, "BLS key"), "BLS key", BlsPublicKey.FromBytes);
        var pop = Wrap(reader.Bytes(BlsProofOfPossession.CompressedLength, "proof of possession"), "proof of possession", BlsProofOfPossession.FromBytes);
        var signature = Ed25519Signature.FromBytes(reader.Bytes(Ed25519Signature.Length, "self-signature"));
        return new RegistrationRecord(client, ed, bls, pop, signature);
    }

    private delegate T Decoder<out T>(ReadOnlySpan<byte> bytes);

    private static T Wrap<T>(ReadOnlySpan<byte> bytes, string field, Decoder<T> decode)
    {
        try
        {
            return decode(bytes);
        }
        catch (BlsFormatException ex)
        {
            throw new LogFormatException($"leaf record: invalid {field}: {ex.Message}");
        }
    }
}

/// <summary>An individually signed entry.</summary>
public sealed record EntryRecord(EntryDescriptor Descriptor, Ed25519Signature Signature) : LeafRecord
{
    public override LeafKind Kind => LeafKind.Entry;

    protected override void WriteBody(FormatWriter writer)
    {
        Descriptor.WriteTo(writer);
        writer.Bytes(Signature.AsSpan());
    }

    internal static EntryRecord ReadBody(ref FormatReader reader)
    {
        var descriptor = EntryDescriptor.ReadFrom(ref reader);
        return new EntryRecord(descriptor, Ed25519Signature.FromBytes(reader.Bytes(Ed25519Signature.Length, "signature")));
    }
}

/// <summary>An entry covered by a batch certificate (one client's batch, or a distilled batch).</summary>
public sealed record BatchedEntryRecord(EntryDescriptor Descriptor, BatchRoot Batch, uint IndexInBatch) : LeafRecord
{
    public override LeafKind Kind => LeafKind.BatchedEntry;

    protected override void WriteBody(FormatWriter writer)
    {
        Descriptor.WriteTo(writer);
        writer.Hash(Batch.Hash).U32(IndexInBatch);
    }

    internal static BatchedEntryRecord ReadBody(ref FormatReader reader)
    {
        var descriptor = EntryDescriptor.ReadFrom(ref reader);
        var root = BatchRoot.FromBytes(reader.Bytes(BatchRoot.Length, "batch root"));
        return new BatchedEntryRecord(descriptor, root, reader.U32("index in batch"));
    }
}

/// <summary>The public notice of an erasure: which leaf, when, why and on what legal basis.</summary>
public sealed record RedactionRecord(ulong TargetLeaf, DateTimeOffset Time, string Reason, string LegalBasis) : LeafRecord
{
    /// <summary>Stele's limit on the reason and the legal basis, in UTF-8 bytes (the format itself allows 65,535).</summary>
    public const int MaxTextBytes = 4096;

    public override LeafKind Kind => LeafKind.Redaction;

    protected override void WriteBody(FormatWriter writer) =>
        writer.U64(TargetLeaf).U64((ulong)Time.ToUnixTimeMilliseconds()).Utf8WithU16Length(Reason, "reason").Utf8WithU16Length(LegalBasis, "legal basis");

    internal static RedactionRecord ReadBody(ref FormatReader reader)
    {
        var target = reader.U64("target leaf");
        var millis = reader.U64("time");
        if (millis > (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()) throw new LogFormatException("leaf record: redaction time out of range");
        var reason = reader.Utf8WithU16Length("reason");
        var basis = reader.Utf8WithU16Length("legal basis");
        return new RedactionRecord(target, DateTimeOffset.FromUnixTimeMilliseconds((long)millis), reason, basis);
    }
}
