using System.Security.Cryptography;
using System.Text;
using Stele.Crypto.Ed25519;
using Stele.Tlog.Notes;

namespace Stele.Tlog.Tests;

public sealed class NoteTests
{
    [Fact]
    public void KeyIdIsTheFirstFourBytesOfTheDomainSeparatedHash()
    {
        using var signer = NoteSignerKey.Generate("example.com/log");
        var input = new List<byte>(Encoding.UTF8.GetBytes("example.com/log")) { 0x0A, 0x01 };
        input.AddRange(signer.Verifier.PublicKey.AsSpan().ToArray());
        var digest = SHA256.HashData([.. input]);
        Assert.Equal((uint)(digest[0] << 24 | digest[1] << 16 | digest[2] << 8 | digest[3]), signer.KeyId);
        var expected = $"example.com/log+{Convert.ToHexStringLower(digest[..4])}+{Convert.ToBase64String([0x01, .. signer.Verifier.PublicKey.AsSpan()])}";
        Assert.Equal(expected, signer.Verifier.ToString());
    }

    [Fact]
    public void VerifierAndSignerKeysRoundTrip()
    {
        using var signer = NoteSignerKey.Generate("stele.example/board");
        var parsed = NoteVerifierKey.Parse(signer.Verifier.ToString());
        Assert.Equal(signer.Verifier, parsed);
        Assert.Equal(signer.KeyId, parsed.KeyId);

        var exported = signer.ExportPrivateKey();
        Assert.StartsWith("PRIVATE+KEY+stele.example/board+", exported);
        using var restored = NoteSignerKey.Parse(exported);
        Assert.Equal(signer.Verifier, restored.Verifier);
        Assert.DoesNotContain(exported.Split('+', 5)[^1], restored.ToString());
        Assert.Equal("NoteSignerKey(stele.example/board, ***)", restored.ToString());
    }

    [Fact]
    public void SignedNoteVerifiesAndKeepsItsText()
    {
        using var signer = NoteSignerKey.Generate("a.example/k");
        var note = NoteSigner.Sign("hello\n\nworld\n", signer);
        var text = Encoding.UTF8.GetString(note);
        Assert.StartsWith("hello\n\nworld\n\n\u2014 a.example/k ", text);
        var verified = UnverifiedNote.Parse(note).Verify(new NoteVerifiers(signer.Verifier));
        Assert.Equal("hello\n\nworld\n", verified.Text);
        Assert.True(verified.IsSignedBy(signer.Verifier));
    }

    [Fact]
    public void SeveralSignaturesUnknownKeysIgnored()
    {
        using var log = NoteSignerKey.Generate("log.example");
        using var witness = NoteSignerKey.Generate("witness.example");
        using var stranger = NoteSignerKey.Generate("stranger.example");
        var note = NoteSigner.Sign("text\n", log, witness, stranger);
        var parsed = UnverifiedNote.Parse(note);
        Assert.Equal(3, parsed.Signatures.Count);

        var verified = parsed.Verify(new NoteVerifiers(log.Verifier, witness.Verifier));
        Assert.Equal(2, verified.VerifiedBy.Count);
        Assert.Equal("stranger.example", Assert.Single(verified.OtherSignatures).KeyName);

        var onlyWitness = parsed.Verify(new NoteVerifiers(witness.Verifier));
        Assert.Equal(witness.Verifier, Assert.Single(onlyWitness.VerifiedBy));
    }

    [Fact]
    public void NoteWithoutATrustedSignatureIsRejected()
    {
        using var signer = NoteSignerKey.Generate("a.example");
        using var other = NoteSignerKey.Generate("a.example"); // same name, different key ID
        var note = UnverifiedNote.Parse(NoteSigner.Sign("text\n", signer));
        var ex = Assert.Throws<NoteVerificationException>(() => note.Verify(new NoteVerifiers(other.Verifier)));
        Assert.Contains("not signed by any trusted key", ex.Message);
    }

    [Fact]
    public void TamperedTextOrSignatureFails()
    {
        using var signer = NoteSignerKey.Generate("a.example");
        var trusted = new NoteVerifiers(signer.Verifier);
        var note = Encoding.UTF8.GetString(NoteSigner.Sign("size 10\n", signer));

        var tamperedText = note.Replace("size 10", "size 11", StringComparison.Ordinal);
        Assert.Throws<NoteVerificationException>(() => UnverifiedNote.Parse(tamperedText).Verify(trusted));

        var line = note.Split('\n')[2];
        var sig = Convert.FromBase64String(line[(line.LastIndexOf(' ') + 1)..]);
        sig[^1] ^= 1;
        var tamperedSig = note.Replace(line, $"\u2014 a.example {Convert.ToBase64String(sig)}", StringComparison.Ordinal);
        var ex = Assert.Throws<NoteVerificationException>(() => UnverifiedNote.Parse(tamperedSig).Verify(trusted));
        Assert.Contains("invalid", ex.Message);
    }

    [Fact]
    public void InvalidSignatureByATrustedKeyRejectsTheNoteEvenIfAnotherVerifies()
    {
        using var a = NoteSignerKey.Generate("a.example");
        using var b = NoteSignerKey.Generate("b.example");
        var good = Encoding.UTF8.GetString(NoteSigner.Sign("t\n", a));
        var foreign = Encoding.UTF8.GetString(NoteSigner.Sign("other\n", b));
        var bLine = foreign.Split('\n')[2];
        var mixed = good + bLine + "\n";
        Assert.Throws<NoteVerificationException>(() => UnverifiedNote.Parse(mixed).Verify(new NoteVerifiers(a.Verifier, b.Verifier)));
        Assert.Single(UnverifiedNote.Parse(mixed).Verify(new NoteVerifiers(a.Verifier)).VerifiedBy);
    }

    public static TheoryData<string, string> MalformedNotes => new()
    {
        { "text\n", "no blank line" },
        { "text\n\n", "no signature lines" },
        { "text\n\n\u2014 a.example AAAAAAE=", "does not end in a newline" },
        { "text\n\n- a.example AAAAAAE=\n", "em dash" },
        { "text\n\n\u2014 a.example\n", "no space" },
        { "text\n\n\u2014  AAAAAAE=\n", "invalid key name" },
        { "text\n\n\u2014 a+b AAAAAAE=\n", "invalid key name" },
        { "text\n\n\u2014 a.example AAAA\n", "shorter than a key ID" },
        { "text\n\n\u2014 a.example AAAAAAE\n", "canonical base64" },
        { "text\n\n\u2014 a.example AAAA AAE=\n", "canonical base64" },
        { "te\txt\n\n\u2014 a.example AAAAAAE=\n", "control character" },
        { "text\r\n\n\u2014 a.example AAAAAAE=\n", "control character" },
        { "text\n\n\u2014 a.example AAAAAAE=\n\n", "no signature lines" },
    };

    [Theory]
    [MemberData(nameof(MalformedNotes))]
    public void MalformedNotesAreRejectedWithAReason(string note, string reason)
    {
        var ex = Assert.Throws<MalformedNoteException>(() => UnverifiedNote.Parse(note));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void InvalidUtf8IsRejected()
    {
        byte[] note = [.. "te"u8, 0xC3, 0x28, .. "\n\n\u2014 a.example AAAAAAE=\n"u8];
        Assert.Contains("UTF-8", Assert.Throws<MalformedNoteException>(() => UnverifiedNote.Parse(note)).Message);
    }

    [Fact]
    public void TooManySignaturesAreRejected()
    {
        var note = new StringBuilder("text\n\n");
        for (var i = 0; i < 101; i++) note.Append("\u2014 k").Append(i).Append(" AAAAAAE=\n");
        Assert.Contains("more than 100", Assert.Throws<MalformedNoteException>(() => UnverifiedNote.Parse(note.ToString())).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("name+0000000+AQ==")]
    [InlineData("name+0000000g+AQ==")]
    [InlineData("name+DEADBEEF+AQ==")]
    [InlineData("na me+00000000+AQ==")]
    [InlineData("name+00000000")]
    [InlineData("name+00000000+AQ==+x")]
    [InlineData("name+00000000+AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("name+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("name+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // hash does not match
    public void MalformedVerifierKeysAreRejected(string vkey) =>
        Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(vkey));

    [Fact]
    public void VerifierKeyWithTheWrongHashIsRejected()
    {
        using var signer = NoteSignerKey.Generate("a.example");
        var parts = signer.Verifier.ToString().Split('+', 3);
        var wrong = $"{parts[0]}+{(signer.KeyId ^ 1):x8}+{parts[2]}";
        Assert.Contains("does not match", Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(wrong)).Message);
        var renamed = $"b.example+{parts[1]}+{parts[2]}";
        Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(renamed));
    }

    [Fact]
    public void MalformedSignerKeysAreRejectedWithoutEchoingTheSecret()
    {
        using var signer = NoteSignerKey.Generate("a.example");
        var parts = signer.ExportPrivateKey().Split('+', 5);
        var secret = parts[4];
        foreach (var bad in new[]
        {
            $"PRIVATE+KEY+a.example+{(signer.KeyId ^ 1):x8}+{secret}",
            $"PRIVATE+KEY+b.example+{parts[3]}+{secret}",
            $"PUBLIC+KEY+a.example+{parts[3]}+{secret}",
            $"PRIVATE+KEY+a.example+{parts[3]}+{secret[..^4]}",
        })
        {
            var ex = Assert.Throws<FormatException>(() => NoteSignerKey.Parse(bad));
            Assert.DoesNotContain(secret, ex.Message);
        }
    }

    [Fact]
    public void NoteTextMustEndInANewline()
    {
        using var signer = NoteSignerKey.Generate("a.example");
        Assert.Throws<ArgumentException>(() => NoteSigner.Sign("no newline", signer));
        Assert.Throws<ArgumentException>(() => NoteSigner.Sign("a\tb\n", signer));
    }

    [Fact]
    public void ConflictingTrustedKeysAreRejected()
    {
        var pk = Ed25519PublicKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var key = NoteVerifierKey.Create("a.example", pk);
        Assert.Single(new NoteVerifiers(key, NoteVerifierKey.Parse(key.ToString())));
    }
}
