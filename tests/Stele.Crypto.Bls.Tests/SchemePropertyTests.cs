using System.Numerics;
using Stele.Crypto.Bls.Field;

namespace Stele.Crypto.Bls.Tests;

public class SchemePropertyTests
{
    private static BlsSecretKey Key(int seed)
    {
        var ikm = new byte[32];
        new Random(seed).NextBytes(ikm);
        return BlsSecretKey.KeyGen(ikm);
    }

    [Fact]
    public void KeyGenMatchesEip2333MasterKeyVector()
    {
        // EIP-2333 test case 0: derive_master_SK(seed) is the IETF KeyGen with empty key_info.
        var seed = Convert.FromHexString("c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04");
        using var sk = BlsSecretKey.KeyGen(seed);
        var bytes = new byte[32];
        sk.ExportBytes(bytes);
        Assert.Equal(BigInteger.Parse("6083874454709270928345386274498605044986640685124978867557563392430687146096"), new BigInteger(bytes, isUnsigned: true, isBigEndian: true));
    }

    [Fact]
    public void ScalarReductionMatchesBigInteger()
    {
        var rng = new Random(31);
        var wide = new byte[48];
        var le = new byte[32];
        for (int i = 0; i < 200; i++)
        {
            rng.NextBytes(wide);
            if (i == 0) Array.Fill(wide, (byte)0xFF);
            ScalarField.ReduceWide(wide, le);
            Assert.Equal(new BigInteger(wide, isUnsigned: true, isBigEndian: true) % ScalarField.Order, new BigInteger(le, isUnsigned: true));
        }
    }

    [Fact]
    public void SecretKeyBoundsAreEnforced()
    {
        var r = ScalarField.Order.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Equal(BlsError.SecretKeyOutOfRange, Assert.Throws<BlsFormatException>(() => BlsSecretKey.FromBytes(r)).Error);
        Assert.Equal(BlsError.SecretKeyOutOfRange, Assert.Throws<BlsFormatException>(() => BlsSecretKey.FromBytes(new byte[32])).Error);
        Assert.Equal(BlsError.WrongLength, Assert.Throws<BlsFormatException>(() => BlsSecretKey.FromBytes(new byte[31])).Error);
        var rMinus1 = (ScalarField.Order - 1).ToByteArray(isUnsigned: true, isBigEndian: true);
        using var k = BlsSecretKey.FromBytes(rMinus1);
        var back = new byte[32];
        k.ExportBytes(back);
        Assert.Equal(rMinus1, back);
    }

    [Fact]
    public void SecretKeyNeverPrintsAndIsUnusableAfterDispose()
    {
        var sk = Key(1);
        Assert.Equal("BlsSecretKey(***)", sk.ToString());
        Assert.Equal("BlsSecretKey(***)", $"{sk}");
        sk.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sk.Sign([1]));
        Assert.Throws<ObjectDisposedException>(() => sk.ExportBytes(new byte[32]));
    }

    [Fact]
    public void SignVerifyRoundTripsAndTamperingFails()
    {
        var rng = new Random(32);
        for (int i = 0; i < 4; i++)
        {
            using var sk = Key(100 + i);
            var msg = new byte[rng.Next(0, 100)];
            rng.NextBytes(msg);
            var sig = sk.Sign(msg);
            Assert.True(Bls.Verify(sk.PublicKey, msg, sig));
            // Round trip through both encodings.
            Assert.Equal(sig, BlsSignature.FromBytes(sig.ToUncompressedBytes()));
            Assert.Equal(sk.PublicKey, BlsPublicKey.FromBytes(sk.PublicKey.ToUncompressedBytes()));
            // Another message, another key, a flipped bit: all fail.
            Assert.False(Bls.Verify(sk.PublicKey, [.. msg, 1], sig));
            using var other = Key(200 + i);
            Assert.False(Bls.Verify(other.PublicKey, msg, sig));
            var bytes = sig.ToBytes();
            bytes[95] ^= 1;
            Assert.False(BlsSignature.TryFromBytes(bytes, out var t, out _) && Bls.Verify(sk.PublicKey, msg, t!));
        }
    }

    [Fact]
    public void AggregationAlgebra()
    {
        var keys = Enumerable.Range(0, 4).Select(i => Key(300 + i)).ToArray();
        try
        {
            var msgs = keys.Select((_, i) => (ReadOnlyMemory<byte>)new byte[] { (byte)i, 9 }).ToArray();
            var sigs = keys.Select((k, i) => k.Sign(msgs[i].Span)).ToArray();
            var agg = Bls.Aggregate(sigs);
            Assert.True(Bls.AggregateVerify(keys.Select(k => k.PublicKey).ToArray(), msgs, agg));
            // Order does not matter; dropping a signer breaks it.
            Assert.Equal(agg, Bls.Aggregate(sigs.Reverse().ToArray()));
            Assert.False(Bls.AggregateVerify(keys.Skip(1).Select(k => k.PublicKey).ToArray(), msgs[1..], agg));
            Assert.False(Bls.AggregateVerify(keys.Select(k => k.PublicKey).ToArray(), msgs.Reverse().ToArray(), agg));

            // Same message: FastAggregateVerify with proven keys.
            var common = "one message"u8.ToArray();
            var proven = keys.Select(k => Bls.PopVerify(k.PublicKey, k.ProvePossession(), out var p) ? p : throw new InvalidOperationException()).ToArray();
            var fast = Bls.Aggregate(keys.Select(k => k.Sign(common)).ToArray());
            Assert.True(Bls.FastAggregateVerify(proven, common, fast));
            Assert.False(Bls.FastAggregateVerify(proven[..3], common, fast));
            Assert.False(Bls.FastAggregateVerify(proven, "other"u8, fast));
            Assert.False(Bls.FastAggregateVerify(ReadOnlySpan<BlsProvenPublicKey>.Empty, common, fast));

            // Batch verification: all good passes, one swapped signature fails.
            var sets = keys.Select((k, i) => new BlsSignatureSet(k.PublicKey, msgs[i], sigs[i])).ToArray();
            Assert.True(Bls.BatchVerify(sets));
            sets[2] = sets[2] with { Signature = sigs[3] };
            Assert.False(Bls.BatchVerify(sets));
        }
        finally
        {
            foreach (var k in keys) k.Dispose();
        }
    }

    [Fact]
    public void ProofOfPossessionIsBoundToItsKey()
    {
        using var a = Key(400);
        using var b = Key(401);
        Assert.True(Bls.PopVerify(a.PublicKey, a.ProvePossession(), out var proven));
        Assert.Equal(a.PublicKey, proven!.PublicKey);
        Assert.False(Bls.PopVerify(b.PublicKey, a.ProvePossession(), out var none));
        Assert.Null(none);
        // A signature on the key bytes under the message DST is not a proof (domain separation).
        var notAProof = BlsProofOfPossession.FromBytes(a.Sign(a.PublicKey.ToBytes()).ToBytes());
        Assert.False(Bls.PopVerify(a.PublicKey, notAProof, out _));
    }

    [Fact]
    public void AggregatorChecksEachItemOnTheCurveAndTheSumInTheSubgroup()
    {
        using var k = Key(500);
        var s = k.Sign([1]);
        var agg = new BlsSignatureAggregator();
        var bad = s.ToUncompressedBytes();
        bad[191] ^= 1; // y no longer on the curve
        Assert.False(agg.TryAdd(bad, out var error));
        Assert.Equal(BlsError.NotOnCurve, error);
        Assert.Equal(BlsError.WrongLength, Assert.Throws<BlsFormatException>(() => agg.Add(new byte[95])).Error);
        Assert.Throws<InvalidOperationException>(() => agg.ToSignature());

        // A point on the curve but outside G2 (x = 1 + u gives one) is caught when the sum is formed.
        var outside = FindG2PointOutsideSubgroup();
        agg.Add(s);
        agg.Add(outside);
        Assert.Equal(BlsError.NotInSubgroup, Assert.Throws<BlsFormatException>(() => agg.ToSignature()).Error);
        Assert.Equal(BlsError.NotInSubgroup, Assert.Throws<BlsFormatException>(() => BlsSignature.FromBytes(outside)).Error);
    }

    internal static byte[] FindG2PointOutsideSubgroup()
    {
        for (ulong x = 1; ; x++)
        {
            var fx = new Fp2(Fp.FromUInt64(x), Fp.One);
            Fp2.Square(fx, out var rhs); Fp2.Mul(rhs, fx, out rhs); Fp2.Add(rhs, Fp2.CurveB, out rhs);
            if (!Fp2.Sqrt(rhs, out var y)) continue;
            var p = new Curve.Affine<Fp2>(fx, y);
            if (Curve.G2.IsInSubgroup(Curve.Curve<Fp2>.FromAffine(p))) continue;
            var bytes = new byte[192];
            Serialization.PointEncoding.EncodeG2(p, false, bytes);
            return bytes;
        }
    }

    [Fact]
    public void DecodingReportsPreciseReasons()
    {
        using var k = Key(600);
        var pk = k.PublicKey.ToBytes();
        var flipped = (byte[])pk.Clone();
        flipped[0] &= 0x7F; // clear the compression flag on a 48-byte encoding
        Assert.Equal(BlsError.CompressionFlagMismatch, Assert.Throws<BlsFormatException>(() => BlsPublicKey.FromBytes(flipped)).Error);
        var infinity = new byte[48];
        infinity[0] = 0xc0;
        Assert.Equal(BlsError.IdentityPublicKey, Assert.Throws<BlsFormatException>(() => BlsPublicKey.FromBytes(infinity)).Error);
        infinity[0] = 0xe0;
        Assert.Equal(BlsError.UnexpectedSignFlag, Assert.Throws<BlsFormatException>(() => BlsPublicKey.FromBytes(infinity)).Error);
        var uncompressed = k.PublicKey.ToUncompressedBytes();
        uncompressed[0] |= 0x20;
        Assert.Equal(BlsError.UnexpectedSignFlag, Assert.Throws<BlsFormatException>(() => BlsPublicKey.FromBytes(uncompressed)).Error);
        var ex = Assert.Throws<BlsFormatException>(() => BlsPublicKey.FromBytes(new byte[47]));
        Assert.Equal(BlsError.WrongLength, ex.Error);
        Assert.Contains("public key", ex.Message, StringComparison.Ordinal);
    }
}
