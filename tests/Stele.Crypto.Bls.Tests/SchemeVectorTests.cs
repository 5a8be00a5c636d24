using System.Text.Json;
using static Stele.Crypto.Bls.Tests.VectorHelpers;

namespace Stele.Crypto.Bls.Tests;

/// <summary>Every case of the Ethereum bls12-381-tests v0.1.2 suite (see ../shared/testdata/bls/README.md).</summary>
public class SchemeVectorTests
{
    private static JsonElement Case(string folder, string file) => Load("bls", folder, file);

    private static BlsPublicKey? Key(string hex) => BlsPublicKey.TryFromBytes(Bytes(hex), out var k, out _) ? k : null;

    private static BlsSignature? Sig(string hex) => BlsSignature.TryFromBytes(Bytes(hex), out var s, out _) ? s : null;

    public static IEnumerable<object[]> SignCases() => CaseFiles("sign");
    public static IEnumerable<object[]> VerifyCases() => CaseFiles("verify");
    public static IEnumerable<object[]> AggregateCases() => CaseFiles("aggregate");
    public static IEnumerable<object[]> FastAggregateVerifyCases() => CaseFiles("fast_aggregate_verify");
    public static IEnumerable<object[]> AggregateVerifyCases() => CaseFiles("aggregate_verify");
    public static IEnumerable<object[]> BatchVerifyCases() => CaseFiles("batch_verify");
    public static IEnumerable<object[]> DeserializationG1Cases() => CaseFiles("deserialization_G1");
    public static IEnumerable<object[]> DeserializationG2Cases() => CaseFiles("deserialization_G2");

    [Theory]
    [MemberData(nameof(SignCases))]
    public void Sign(string file)
    {
        var c = Case("sign", file);
        var input = c.GetProperty("input");
        var sk = Bytes(input.GetProperty("privkey").GetString());
        var msg = Bytes(input.GetProperty("message").GetString());
        if (c.GetProperty("output").ValueKind == JsonValueKind.Null)
        {
            var ex = Assert.Throws<BlsFormatException>(() => BlsSecretKey.FromBytes(sk));
            Assert.Equal(BlsError.SecretKeyOutOfRange, ex.Error);
            return;
        }
        using var key = BlsSecretKey.FromBytes(sk);
        var sig = key.Sign(msg);
        Assert.Equal(Bytes(c.GetProperty("output").GetString()), sig.ToBytes());
        Assert.True(Bls.Verify(key.PublicKey, msg, sig));
    }

    [Theory]
    [MemberData(nameof(VerifyCases))]
    public void Verify(string file)
    {
        var c = Case("verify", file);
        var input = c.GetProperty("input");
        bool expected = c.GetProperty("output").GetBoolean();
        var pk = Key(input.GetProperty("pubkey").GetString()!);
        var sig = Sig(input.GetProperty("signature").GetString()!);
        var msg = Bytes(input.GetProperty("message").GetString());
        bool actual = pk is not null && sig is not null && Bls.Verify(pk, msg, sig);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(AggregateCases))]
    public void Aggregate(string file)
    {
        var c = Case("aggregate", file);
        var sigs = c.GetProperty("input").EnumerateArray().Select(e => Sig(e.GetString()!)!).ToArray();
        if (c.GetProperty("output").ValueKind == JsonValueKind.Null)
        {
            Assert.Empty(sigs);
            Assert.Throws<ArgumentException>(() => Bls.Aggregate(sigs));
            return;
        }
        var expected = Bytes(c.GetProperty("output").GetString());
        Assert.Equal(expected, Bls.Aggregate(sigs).ToBytes());
        // The byte-level aggregator (compressed and uncompressed inputs) agrees.
        var packed = c.GetProperty("input").EnumerateArray().SelectMany(e => Bytes(e.GetString())).ToArray();
        var agg = new BlsSignatureAggregator();
        agg.AddPacked(packed, 96);
        Assert.Equal(expected, agg.ToSignature().ToBytes());
        var agg2 = new BlsSignatureAggregator();
        agg2.AddPacked(sigs.SelectMany(s => s.ToUncompressedBytes()).ToArray(), 192);
        Assert.Equal(expected, agg2.ToSignature().ToBytes());
    }

    [Theory]
    [MemberData(nameof(FastAggregateVerifyCases))]
    public void FastAggregateVerify(string file)
    {
        var c = Case("fast_aggregate_verify", file);
        var input = c.GetProperty("input");
        bool expected = c.GetProperty("output").GetBoolean();
        var keys = input.GetProperty("pubkeys").EnumerateArray().Select(e => Key(e.GetString()!)).ToArray();
        var sig = Sig(input.GetProperty("signature").GetString()!);
        var msg = Bytes(input.GetProperty("message").GetString());
        // The vectors carry no proofs of possession: wrap the KeyValidated keys directly (test-only internal constructor).
        bool actual = keys.All(k => k is not null) && sig is not null
            && Bls.FastAggregateVerify(keys.Select(k => new BlsProvenPublicKey(k!)).ToArray(), msg, sig);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(AggregateVerifyCases))]
    public void AggregateVerify(string file)
    {
        var c = Case("aggregate_verify", file);
        var input = c.GetProperty("input");
        bool expected = c.GetProperty("output").GetBoolean();
        var keys = input.GetProperty("pubkeys").EnumerateArray().Select(e => Key(e.GetString()!)).ToArray();
        var msgs = input.GetProperty("messages").EnumerateArray().Select(e => (ReadOnlyMemory<byte>)Bytes(e.GetString())).ToArray();
        var sig = Sig(input.GetProperty("signature").GetString()!);
        bool actual = keys.All(k => k is not null) && sig is not null && Bls.AggregateVerify(keys!, msgs, sig);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(BatchVerifyCases))]
    public void BatchVerify(string file)
    {
        var c = Case("batch_verify", file);
        var input = c.GetProperty("input");
        bool expected = c.GetProperty("output").GetBoolean();
        var keys = input.GetProperty("pubkeys").EnumerateArray().Select(e => Key(e.GetString()!)).ToArray();
        var msgs = input.GetProperty("messages").EnumerateArray().Select(e => Bytes(e.GetString())).ToArray();
        var sigs = input.GetProperty("signatures").EnumerateArray().Select(e => Sig(e.GetString()!)).ToArray();
        bool actual = keys.All(k => k is not null) && sigs.All(s => s is not null)
            && Bls.BatchVerify(keys.Select((k, i) => new BlsSignatureSet(k!, msgs[i], sigs[i]!)).ToArray());
        Assert.Equal(expected, actual);
        if (keys.All(k => k is not null) && sigs.All(s => s is not null))
        {
            // Batch verification agrees with verifying each set on its own.
            Assert.Equal(expected, keys.Select((k, i) => Bls.Verify(k!, msgs[i], sigs[i]!)).All(v => v));
        }
    }

    [Theory]
    [MemberData(nameof(DeserializationG1Cases))]
    public void DeserializationG1(string file)
    {
        var c = Case("deserialization_G1", file);
        bool expected = c.GetProperty("output").GetBoolean();
        var bytes = Bytes(c.GetProperty("input").GetProperty("pubkey").GetString());
        var error = Serialization.PointEncoding.DecodeG1(bytes, checkSubgroup: true, out _);
        Assert.Equal(expected, error == BlsError.None);
        // The public-key type additionally rejects the identity (KeyValidate).
        bool keyOk = BlsPublicKey.TryFromBytes(bytes, out _, out var keyError);
        Assert.Equal(expected && !file.Contains("infinity", StringComparison.Ordinal), keyOk);
        if (!keyOk) Assert.NotEqual(BlsError.None, keyError);
    }

    [Theory]
    [MemberData(nameof(DeserializationG2Cases))]
    public void DeserializationG2(string file)
    {
        var c = Case("deserialization_G2", file);
        bool expected = c.GetProperty("output").GetBoolean();
        var bytes = Bytes(c.GetProperty("input").GetProperty("signature").GetString());
        bool ok = BlsSignature.TryFromBytes(bytes, out var sig, out var error);
        Assert.Equal(expected, ok);
        if (ok) Assert.Equal(bytes, sig!.ToBytes());
        else Assert.NotEqual(BlsError.None, error);
    }
}
