using Stele.Crypto.Bls;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Domain.Records;
using Stele.Domain.Signing;

namespace Stele.Domain.Tests;

public sealed class CodecTests
{
    private static RegistrationRecord Registration()
    {
        using var ed = Samples.EdKey(7);
        using var bls = Samples.BlsKey(9);
        var client = ClientId.FromKeys(ed.PublicKey, bls.PublicKey);
        var signature = ed.Sign(SigningMessages.Registration(Samples.Origin, client, ed.PublicKey, bls.PublicKey));
        return new RegistrationRecord(client, ed.PublicKey, bls.PublicKey, bls.ProvePossession(), signature);
    }

    public static TheoryData<string> Kinds => ["registration", "entry", "batched", "redaction"];

    private static LeafRecord Make(string kind)
    {
        using var ed = Samples.EdKey(3);
        var descriptor = Samples.Descriptor(42, 7);
        return kind switch
        {
            "registration" => Registration(),
            "entry" => new EntryRecord(descriptor, ed.Sign(SigningMessages.Entry(Samples.Origin, descriptor))),
            "batched" => new BatchedEntryRecord(descriptor, BatchTree.Build([descriptor]).Root, 0),
            _ => new RedactionRecord(12, DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000), "erasure request №17", "GDPR Art. 17(1)(a)"),
        };
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Leaf_records_round_trip_byte_for_byte(string kind)
    {
        var record = Make(kind);
        var bytes = record.ToBytes();
        var parsed = LeafRecord.Parse(bytes);
        Assert.Equal(record.Kind, parsed.Kind);
        Assert.Equal(bytes, parsed.ToBytes());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_truncation_and_any_trailing_byte_is_a_clear_format_error(string kind)
    {
        var bytes = Make(kind).ToBytes();
        for (var length = 0; length < bytes.Length; length++)
        {
            var ex = Assert.ThrowsAny<Exception>(() => LeafRecord.Parse(bytes.AsSpan(0, length)));
            Assert.True(ex is LogFormatException or ArgumentException, $"length {length}: {ex.GetType().Name}");
        }
        Assert.Throws<LogFormatException>(() => LeafRecord.Parse([.. bytes, 0]));
    }

    [Fact]
    public void Unknown_versions_and_kinds_are_refused()
    {
        var bytes = Make("entry").ToBytes();
        bytes[0] = 2;
        Assert.Contains("version", Assert.Throws<LogFormatException>(() => LeafRecord.Parse(bytes)).Message);
        bytes[0] = 1;
        bytes[1] = 9;
        Assert.Contains("kind", Assert.Throws<LogFormatException>(() => LeafRecord.Parse(bytes)).Message);
    }

    [Fact]
    public void A_media_type_with_a_non_ascii_byte_is_refused()
    {
        var bytes = Make("entry").ToBytes();
        var at = Array.IndexOf(bytes, (byte)'/');
        bytes[at - 1] = 0xE9;
        Assert.Contains("media type", Assert.Throws<LogFormatException>(() => LeafRecord.Parse(bytes)).Message);
    }

    [Fact]
    public void The_registration_self_signature_covers_origin_client_and_both_keys()
    {
        var record = Registration();
        var message = SigningMessages.Registration(Samples.Origin, record.Client, record.Ed25519Key, record.BlsKey);
        Assert.True(record.Ed25519Key.Verify(message, record.SelfSignature));
        var otherBoard = SigningMessages.Registration(new LogOrigin("other.board"), record.Client, record.Ed25519Key, record.BlsKey);
        Assert.False(record.Ed25519Key.Verify(otherBoard, record.SelfSignature));
        Assert.True(Bls.PopVerify(record.BlsKey, record.ProofOfPossession, out _));
    }

    [Fact]
    public void Signing_messages_of_different_kinds_never_coincide()
    {
        var descriptor = Samples.Descriptor(1, 1);
        var root = BatchTree.Build([descriptor]).Root;
        var messages = new[]
        {
            SigningMessages.Entry(Samples.Origin, descriptor),
            SigningMessages.Batch(Samples.Origin, descriptor.Client, root, 1),
            SigningMessages.Distilled(Samples.Origin, root, 1),
        };
        Assert.Equal(messages.Length, messages.Select(Convert.ToHexString).Distinct().Count());
        Assert.StartsWith("stele/v1/entry\ntest.stele/board\n", System.Text.Encoding.ASCII.GetString(messages[0]));
    }

    [Fact]
    public void Payload_files_round_trip_and_openings_check_against_commitments()
    {
        var salt = Salt.NewRandom();
        var content = "ballot 1234: candidate B"u8.ToArray();
        var commitment = Commitment.Compute(salt, content);
        var file = new PayloadFile(512, [new InlinePayload(salt, content), NoPayload.Instance, new BlobPayload(Salt.NewRandom(), 5_000_000_000), new Tombstone(600)]);
        var parsed = PayloadFile.Parse(file.ToBytes());

        Assert.Equal(file.ToBytes(), parsed.ToBytes());
        var inline = Assert.IsType<InlinePayload>(parsed.Slots[0]);
        Assert.True(inline.Opens(commitment, (ulong)content.Length));
        Assert.False(inline.Opens(commitment, (ulong)content.Length + 1));
        Assert.False(inline.Opens(Commitment.Compute(Salt.NewRandom(), content), (ulong)content.Length));
        Assert.Equal(600ul, Assert.IsType<Tombstone>(parsed.Slots[3]).NoticeLeaf);
        Assert.Equal("payload/x001/234", PayloadFile.KeyFor(1234 * 256 + 17));
    }

    [Fact]
    public void Malformed_payload_files_are_refused()
    {
        var good = new PayloadFile(0, [NoPayload.Instance]).ToBytes();
        var badMagic = good.ToArray();
        badMagic[0] ^= 1;
        Assert.Throws<LogFormatException>(() => PayloadFile.Parse(badMagic));
        var badTag = good.ToArray();
        badTag[^1] = 7;
        Assert.Throws<LogFormatException>(() => PayloadFile.Parse(badTag));
        var misaligned = new PayloadFile(0, [NoPayload.Instance]).ToBytes();
        misaligned[17 + 7] = 1; // first leaf = 1
        Assert.Throws<LogFormatException>(() => PayloadFile.Parse(misaligned));
        Assert.Throws<LogFormatException>(() => PayloadFile.Parse(good.AsSpan(0, good.Length - 1)));
    }

    [Fact]
    public void Batch_certificates_round_trip_and_refuse_unordered_participants()
    {
        var descriptors = new[] { Samples.Descriptor(1, 1), Samples.Descriptor(2, 1) };
        var tree = BatchTree.Build(descriptors);
        using var a = Samples.BlsKey(1);
        using var b = Samples.BlsKey(2);
        var message = SigningMessages.Distilled(Samples.Origin, tree.Root, 2);
        var aggregate = Bls.Aggregate([a.Sign(message), b.Sign(message)]);
        using var ed = Samples.EdKey(5);
        var certificate = new DistilledBatchCertificate(tree.Root, 100, 2, [new ClientId(1)], aggregate,
            [new Straggler(new ClientId(2), 1, ed.Sign(SigningMessages.Entry(Samples.Origin, descriptors[1])))]);
        var bytes = certificate.ToBytes();
        Assert.Equal(bytes, BatchCertificate.Parse(bytes).ToBytes());
        Assert.Equal($"batch/{tree.Root}", BatchCertificate.KeyFor(tree.Root));

        var single = new SingleClientBatchCertificate(tree.Root, 0, 2, new ClientId(1), ed.Sign(SigningMessages.Batch(Samples.Origin, new ClientId(1), tree.Root, 2)));
        Assert.Equal(single, BatchCertificate.Parse(single.ToBytes()));

        var unordered = certificate with { Participants = [new ClientId(2), new ClientId(1)] };
        Assert.Throws<InvalidOperationException>(() => unordered.ToBytes());
    }

    [Fact]
    public void Client_ids_derive_from_both_keys_and_print_as_16_hex_digits()
    {
        using var ed = Samples.EdKey(1);
        using var bls1 = Samples.BlsKey(1);
        using var bls2 = Samples.BlsKey(2);
        var id = ClientId.FromKeys(ed.PublicKey, bls1.PublicKey);
        Assert.Equal(id, ClientId.FromKeys(ed.PublicKey, bls1.PublicKey));
        Assert.NotEqual(id, ClientId.FromKeys(ed.PublicKey, bls2.PublicKey));
        Assert.Equal(16, id.ToString().Length);
        Assert.Equal(id, ClientId.Parse(id.ToString()));
        Assert.Throws<FormatException>(() => ClientId.Parse("xyz"));
    }
}
