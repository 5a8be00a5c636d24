using Stele.Broker.Protocol;
using Stele.Broker.Tests.Support;

namespace Stele.Broker.Tests;

public sealed class CodecTests
{
    [Fact]
    public void A_submission_round_trips_with_and_without_a_signature()
    {
        foreach (var signature in new[] { Array.Empty<byte>(), Enumerable.Repeat((byte)7, 64).ToArray() })
        {
            var datagram = Wire.Submit(0x0123456789abcdef, 42, [1, 2, 3], "application/vnd.vote+cbor", signature);
            Assert.Equal(DecodeError.None, SubmitMessage.TryDecode(datagram, out var m));
            Assert.Equal(0x0123456789abcdefUL, m.Client);
            Assert.Equal(42UL, m.Sequence);
            Assert.Equal([1, 2, 3], m.Content.ToArray());
            Assert.Equal("application/vnd.vote+cbor", System.Text.Encoding.ASCII.GetString(m.MediaType));
            Assert.Equal(signature, m.Signature.ToArray());
        }
    }

    [Fact]
    public void Every_truncation_of_every_message_is_reported_as_truncated()
    {
        var submit = Wire.Submit(1, 2, new byte[100], signature: new byte[64]);
        for (var length = 2; length < submit.Length; length++)
            Assert.Equal(DecodeError.Truncated, SubmitMessage.TryDecode(submit.AsSpan(0, length), out _));

        var proof = Proof(3);
        for (var length = 2; length < proof.Length; length++)
            Assert.Equal(DecodeError.Truncated, ProofMessage.TryDecode(proof.AsSpan(0, length), out _));

        var share = new ShareMessage { Client = 1, Batch = 2, Root = new byte[32], Signature = new byte[96] }.ToArray();
        for (var length = 2; length < share.Length; length++)
            Assert.Equal(DecodeError.Truncated, ShareMessage.TryDecode(share.AsSpan(0, length), out _));
        Assert.Equal(DecodeError.Truncated, Datagram.TryReadType([1], out _));
    }

    [Fact]
    public void Oversized_datagrams_and_fields_are_reported_as_oversized()
    {
        Assert.Equal(DecodeError.Oversized, Datagram.TryReadType(new byte[WireFormat.MaxDatagram + 1], out _));
        var submit = Wire.Submit(1, 2, new byte[10]);
        var contentLengthAt = 2 + 8 + 8 + 32 + 32 + 1 + "text/plain".Length;
        submit[contentLengthAt] = 0x04; // 1024 + 10 > MaxContent
        submit[contentLengthAt + 1] = 0x01;
        Assert.Equal(DecodeError.Oversized, SubmitMessage.TryDecode(submit, out _));
        var share = new ShareMessage { Client = 1, Batch = 2, Root = new byte[32], Signature = new byte[192] }.ToArray();
        Assert.Equal(DecodeError.Oversized, ShareMessage.TryDecode([.. share, 0], out _));
    }

    [Fact]
    public void Malformed_fields_are_reported_as_malformed_and_other_versions_as_unsupported()
    {
        var good = Wire.Submit(1, 2, [9]);
        Assert.Equal(DecodeError.Malformed, SubmitMessage.TryDecode([.. good, 0], out _)); // trailing byte
        var badFlags = (byte[])good.Clone();
        badFlags[^1] = 0x80;
        Assert.Equal(DecodeError.Malformed, SubmitMessage.TryDecode(badFlags, out _));
        var badMedia = Wire.Submit(1, 2, [9], "text/plain");
        badMedia[2 + 8 + 8 + 32 + 32 + 1 + 4] = (byte)'x'; // "textxplain": no slash
        Assert.Equal(DecodeError.Malformed, SubmitMessage.TryDecode(badMedia, out _));
        var badType = (byte[])good.Clone();
        badType[1] = 99;
        Assert.Equal(DecodeError.Malformed, Datagram.TryReadType(badType, out _));
        var badVersion = (byte[])good.Clone();
        badVersion[0] = 2;
        Assert.Equal(DecodeError.UnsupportedVersion, SubmitMessage.TryDecode(badVersion, out _));
        var share = new ShareMessage { Client = 1, Batch = 2, Root = new byte[32], Signature = new byte[96] }.ToArray();
        Assert.Equal(DecodeError.Malformed, ShareMessage.TryDecode([.. share, .. new byte[50]], out _)); // 146 bytes: neither encoding
        Assert.Equal(DecodeError.Malformed, SubmitMessage.TryDecode(share, out _)); // a share is not a submission
    }

    [Fact]
    public void Results_rejects_proofs_and_stats_round_trip()
    {
        Assert.Equal(DecodeError.None, ProofMessage.TryDecode(Proof(5), out var proof));
        Assert.Equal(5, proof.Path.Length / 32);
        Assert.Equal(7u, proof.Index);

        var buffer = new byte[WireFormat.MaxDatagram];
        var length = new ResultMessage { Client = 1, Batch = 9, Root = new byte[32], Status = ResultStatus.InLog, Value = 1234 }.EncodeTo(buffer);
        Assert.Equal(DecodeError.None, ResultMessage.TryDecode(buffer.AsSpan(0, length), out var result));
        Assert.Equal((ResultStatus.InLog, 1234UL), (result.Status, result.Value));

        length = new RejectMessage { Client = 1, Sequence = 3, Reason = RejectReason.Overloaded }.EncodeTo(buffer);
        Assert.Equal(DecodeError.None, RejectMessage.TryDecode(buffer.AsSpan(0, length), out var reject));
        Assert.Equal(RejectReason.Overloaded, reject.Reason);

        length = StatsMessage.Encode([5, 0, 7], buffer);
        Assert.Equal(DecodeError.None, StatsMessage.TryDecode(buffer.AsSpan(0, length), out var counters));
        Assert.Equal(7UL, counters[2]);
    }

    private static byte[] Proof(int hashes)
    {
        var buffer = new byte[WireFormat.MaxDatagram];
        var length = new ProofMessage
        {
            Batch = 1,
            Root = new byte[32],
            Count = 20,
            Index = 7,
            Client = 3,
            Sequence = 4,
            ClientFirst = 6,
            ClientCount = 2,
            Path = new byte[hashes * 32],
        }.EncodeTo(buffer);
        return buffer[..length];
    }
}
