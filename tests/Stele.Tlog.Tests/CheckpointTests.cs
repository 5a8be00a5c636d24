using System.Text;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;

namespace Stele.Tlog.Tests;

public sealed class CheckpointTests
{
    [Fact]
    public void SignedCheckpointVerifiesToItsSizeAndRoot()
    {
        using var key = NoteSignerKey.Generate("stele.example/board");
        var signer = new CheckpointSigner(key);
        var root = Rfc6962.HashLeaf("root"u8);
        var bytes = signer.Sign(new TreeSize(20852163), root);

        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith($"stele.example/board\n20852163\n{root.ToBase64()}\n\n\u2014 stele.example/board ", text);

        var checkpoint = UnverifiedCheckpoint.Parse(bytes).Verify(new NoteVerifiers(signer.Verifier));
        Assert.Equal("stele.example/board", checkpoint.Origin);
        Assert.Equal(new TreeSize(20852163), checkpoint.Size);
        Assert.Equal(root, checkpoint.Root);
        Assert.Empty(checkpoint.Extensions);
    }

    [Fact]
    public void ExtensionLinesAreKept()
    {
        using var key = NoteSignerKey.Generate("log");
        var bytes = new CheckpointSigner(key).Sign(TreeSize.Empty, Rfc6962.EmptyTreeHash, ["ext one", "ext two"]);
        var checkpoint = UnverifiedCheckpoint.Parse(bytes).Verify(new NoteVerifiers(key.Verifier));
        Assert.Equal(["ext one", "ext two"], checkpoint.Extensions);
        Assert.True(checkpoint.Size.IsEmpty);
    }

    [Fact]
    public void SignatureByAnotherTrustedKeyAloneIsNotEnough()
    {
        using var log = NoteSignerKey.Generate("log.example");
        using var witness = NoteSignerKey.Generate("witness.example");
        var text = $"log.example\n5\n{Rfc6962.EmptyTreeHash.ToBase64()}\n";
        var onlyWitness = NoteSigner.Sign(text, witness);
        var ex = Assert.Throws<NoteVerificationException>(() =>
            UnverifiedCheckpoint.Parse(onlyWitness).Verify(new NoteVerifiers(log.Verifier, witness.Verifier)));
        Assert.Contains("not signed by a trusted key named 'log.example'", ex.Message);

        var both = NoteSigner.Sign(text, log, witness);
        var verified = UnverifiedCheckpoint.Parse(both).Verify(new NoteVerifiers(log.Verifier, witness.Verifier));
        Assert.Equal(2, verified.Note.VerifiedBy.Count);
    }

    [Fact]
    public void UntrustedLogKeyIsRejected()
    {
        using var log = NoteSignerKey.Generate("log.example");
        using var impostor = NoteSignerKey.Generate("log.example");
        var bytes = new CheckpointSigner(impostor).Sign(new TreeSize(1), Rfc6962.EmptyTreeHash);
        Assert.Throws<NoteVerificationException>(() => UnverifiedCheckpoint.Parse(bytes).Verify(new NoteVerifiers(log.Verifier)));
    }

    public static TheoryData<string, string> MalformedTexts => new()
    {
        { "origin\n5\n", "at least three lines" },
        { "origin\n05\n{root}\n", "leading zeros" },
        { "origin\n-5\n{root}\n", "decimal" },
        { "origin\n 5\n{root}\n", "decimal" },
        { "origin\n18446744073709551616\n{root}\n", "decimal" },
        { "origin\n5\nAAAA\n", "32 bytes" },
        { "origin\n5\n{root}\n\nextension\n", "empty" },
    };

    [Theory]
    [MemberData(nameof(MalformedTexts))]
    public void MalformedCheckpointTextIsRejected(string template, string reason)
    {
        using var key = NoteSignerKey.Generate("origin");
        var text = template.Replace("{root}", Rfc6962.EmptyTreeHash.ToBase64(), StringComparison.Ordinal);
        var note = NoteSigner.Sign(text, key);
        var ex = Assert.Throws<MalformedNoteException>(() => UnverifiedCheckpoint.Parse(note));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void BadExtensionLinesCannotBeSigned()
    {
        using var key = NoteSignerKey.Generate("origin");
        Assert.Throws<ArgumentException>(() => new CheckpointSigner(key).Sign(TreeSize.Empty, Rfc6962.EmptyTreeHash, [""]));
        Assert.Throws<ArgumentException>(() => new CheckpointSigner(key).Sign(TreeSize.Empty, Rfc6962.EmptyTreeHash, ["a\nb"]));
    }
}
