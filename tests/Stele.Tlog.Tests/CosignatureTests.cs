using System.Buffers.Binary;
using System.Text;
using Stele.Crypto.Ed25519;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;

namespace Stele.Tlog.Tests;

public sealed class CosignatureTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1679315147);

    private static (string Note, NoteSignerKey Log) Checkpoint()
    {
        var log = NoteSignerKey.Generate("example.com/behind-the-sofa");
        var bytes = new CheckpointSigner(log).Sign(new TreeSize(20852163), Rfc6962.HashLeaf("r"u8));
        return (Encoding.UTF8.GetString(bytes), log);
    }

    [Fact]
    public void WitnessCosignatureVerifiesWithItsTime()
    {
        var (note, log) = Checkpoint();
        using var _ = log;
        using var witnessKey = Ed25519SecretKey.Generate();
        var text = note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)];
        var line = Cosignatures.Sign("witness.example.com/w1", witnessKey, text, Time).Line;
        var cosigned = note + line + "\n";

        var checkpoint = UnverifiedCheckpoint.Parse(cosigned).Verify(new NoteVerifiers(log.Verifier));
        var witness = CosignerKey.Create("witness.example.com/w1", witnessKey.PublicKey);
        var cosignature = Assert.Single(Cosignatures.Verify(checkpoint, [witness]));
        Assert.Equal(witness, cosignature.Cosigner);
        Assert.Equal(Time, cosignature.Timestamp);
        Assert.Empty(Cosignatures.Verify(checkpoint, [CosignerKey.Create("other.example", witnessKey.PublicKey)]));
    }

    [Fact]
    public void CosignatureFormatFollowsTheSpec()
    {
        var (note, log) = Checkpoint();
        using var _ = log;
        using var witnessKey = Ed25519SecretKey.Generate();
        var text = note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)];
        var signature = Cosignatures.Sign("w", witnessKey, text, Time);

        // Key ID with type 0x04, then u64 big-endian time, then Ed25519 over the v1 message.
        Assert.Equal(CosignerKey.Create("w", witnessKey.PublicKey).KeyId, signature.KeyId);
        Assert.NotEqual(NoteVerifierKey.Create("w", witnessKey.PublicKey).KeyId, signature.KeyId);
        var bytes = signature.Signature.Span;
        Assert.Equal(72, bytes.Length);
        Assert.Equal(1679315147UL, BinaryPrimitives.ReadUInt64BigEndian(bytes));
        var message = Encoding.UTF8.GetBytes("cosignature/v1\ntime 1679315147\n" + text);
        Assert.True(witnessKey.PublicKey.Verify(message, Ed25519Signature.FromBytes(bytes[8..])));
    }

    [Fact]
    public void TamperedCosignatureIsRejected()
    {
        var (note, log) = Checkpoint();
        using var _ = log;
        using var witnessKey = Ed25519SecretKey.Generate();
        var text = note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)];
        var signature = Cosignatures.Sign("w", witnessKey, text, Time);
        var bytes = signature.Signature.ToArray();
        bytes[7] ^= 1; // the claimed time
        var tampered = note + (signature with { Signature = bytes }).Line + "\n";
        var checkpoint = UnverifiedCheckpoint.Parse(tampered).Verify(new NoteVerifiers(log.Verifier));
        Assert.Throws<NoteVerificationException>(() => Cosignatures.Verify(checkpoint, [CosignerKey.Create("w", witnessKey.PublicKey)]));
    }

    [Fact]
    public void CosignerKeysRoundTripAndRejectPlainEd25519Keys()
    {
        using var witnessKey = Ed25519SecretKey.Generate();
        var key = CosignerKey.Create("witness.example", witnessKey.PublicKey);
        Assert.Equal(key, CosignerKey.Parse(key.ToString()));
        var plain = NoteVerifierKey.Create("witness.example", witnessKey.PublicKey).ToString();
        Assert.Throws<FormatException>(() => CosignerKey.Parse(plain));
        Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(key.ToString()));
    }
}
