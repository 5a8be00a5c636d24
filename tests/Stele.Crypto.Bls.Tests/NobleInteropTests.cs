namespace Stele.Crypto.Bls.Tests;

/// <summary>Interop both ways with @noble/curves (pinned in tests/interop/noble/package.json).</summary>
public class NobleInteropTests
{
    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    [Fact]
    public void SteleKeysSignaturesAndProofsVerifyInNoble()
    {
        var keys = Enumerable.Range(0, 3).Select(i => BlsSecretKey.KeyGen(Enumerable.Repeat((byte)(i + 7), 32).ToArray())).ToArray();
        try
        {
            var messages = new[] { "", "00", "stele bulletin board" }.Select(s => System.Text.Encoding.UTF8.GetBytes(s)).ToArray();
            var items = keys.Select((k, i) => new
            {
                publicKey = Hex(k.PublicKey.ToBytes()),
                message = Hex(messages[i]),
                signature = Hex(k.Sign(messages[i]).ToBytes()),
                proof = Hex(k.ProvePossession().ToBytes()),
            }).ToList();
            // A tampered item: signature for another message. noble must reject it.
            items.Add(items[0] with { message = Hex([1, 2, 3]) });
            var common = messages[2];
            var aggregate = Bls.Aggregate(keys.Select(k => k.Sign(common)).ToArray());
            var result = NobleInterop.Run("interop.mjs", new
            {
                mode = "check",
                items,
                aggregate = new { message = Hex(common), publicKeys = keys.Select(k => Hex(k.PublicKey.ToBytes())), signature = Hex(aggregate.ToBytes()) },
            });
            Assert.Equal([true, true, true, false], result.GetProperty("verify").EnumerateArray().Select(e => e.GetBoolean()));
            Assert.Equal([true, true, true, true], result.GetProperty("pop").EnumerateArray().Select(e => e.GetBoolean()));
            Assert.True(result.GetProperty("fastAggregateVerify").GetBoolean());
        }
        finally
        {
            foreach (var k in keys) k.Dispose();
        }
    }

    [Fact]
    public void NobleKeysSignaturesAndProofsVerifyInStele()
    {
        var result = NobleInterop.Run("interop.mjs", new { mode = "make", count = 4, messages = new[] { "abababab", "", "00ff" } });
        var proven = new List<BlsProvenPublicKey>();
        foreach (var item in result.GetProperty("items").EnumerateArray())
        {
            byte[] B(string name) => Convert.FromHexString(item.GetProperty(name).GetString()!);
            var pk = BlsPublicKey.FromBytes(B("publicKey"));
            var sig = BlsSignature.FromBytes(B("signature"));
            Assert.True(Bls.Verify(pk, B("message"), sig));
            Assert.False(Bls.Verify(pk, [.. B("message"), 0], sig));
            Assert.True(Bls.PopVerify(pk, BlsProofOfPossession.FromBytes(B("proof")), out var p));
            proven.Add(p);
            // Signing is deterministic: the same secret key gives noble's exact bytes.
            using var sk = BlsSecretKey.FromBytes(B("secretKey"));
            Assert.Equal(pk, sk.PublicKey);
            Assert.Equal(B("signature"), sk.Sign(B("message")).ToBytes());
            Assert.Equal(B("proof"), sk.ProvePossession().ToBytes());
        }
        var agg = result.GetProperty("aggregate");
        var message = Convert.FromHexString(agg.GetProperty("message").GetString()!);
        var aggSig = BlsSignature.FromBytes(Convert.FromHexString(agg.GetProperty("signature").GetString()!));
        Assert.True(Bls.FastAggregateVerify(proven.ToArray(), message, aggSig));
        Assert.False(Bls.FastAggregateVerify(proven.Skip(1).ToArray(), message, aggSig));
    }
}
