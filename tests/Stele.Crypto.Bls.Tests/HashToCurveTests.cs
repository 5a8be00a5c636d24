using System.Text;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.HashToCurve;
using static Stele.Crypto.Bls.Tests.VectorHelpers;

namespace Stele.Crypto.Bls.Tests;

public class HashToCurveTests
{
    [Theory]
    [InlineData("expand_message_xmd_SHA256_38.json")]
    [InlineData("expand_message_xmd_SHA256_256.json")]
    public void ExpandMessageXmdMatchesRfc9380(string file)
    {
        var root = Load("hash_to_curve", file);
        var dst = ExpandMessageXmd.NormalizeDst(Encoding.ASCII.GetBytes(root.GetProperty("DST").GetString()!));
        int count = 0;
        foreach (var t in root.GetProperty("tests").EnumerateArray())
        {
            var msg = Encoding.ASCII.GetBytes(t.GetProperty("msg").GetString()!);
            int len = (int)HexInt(t.GetProperty("len_in_bytes").GetString()!);
            var output = new byte[len];
            ExpandMessageXmd.Expand(msg, dst, output);
            Assert.Equal(t.GetProperty("uniform_bytes").GetString(), Convert.ToHexString(output).ToLowerInvariant());
            // The DST_prime of the vector is the (possibly shortened) DST plus its length byte.
            Assert.Equal(t.GetProperty("DST_prime").GetString(), Convert.ToHexString([.. dst, (byte)dst.Length]).ToLowerInvariant());
            count++;
        }
        Assert.Equal(10, count);
    }

    private static void AssertPoint(System.Text.Json.JsonElement expected, in Point<Fp2> actual)
    {
        var a = Curve<Fp2>.ToAffine(actual);
        Assert.True(Fp2.Equal(ParseFp2(expected.GetProperty("x").GetString()!), a.X), "x differs");
        Assert.True(Fp2.Equal(ParseFp2(expected.GetProperty("y").GetString()!), a.Y), "y differs");
    }

    [Fact]
    public void HashToG2MatchesRfc9380IncludingIntermediates()
    {
        var root = Load("hash_to_curve", "BLS12381G2_XMD-SHA-256_SSWU_RO_.json");
        var dst = Encoding.ASCII.GetBytes(root.GetProperty("dst").GetString()!);
        int count = 0;
        foreach (var v in root.GetProperty("vectors").EnumerateArray())
        {
            var msg = Encoding.ASCII.GetBytes(v.GetProperty("msg").GetString()!);
            var u = new Fp2[2];
            HashToField.HashToFp2(msg, dst, u);
            var us = v.GetProperty("u").EnumerateArray().Select(e => ParseFp2(e.GetString()!)).ToArray();
            Assert.True(Fp2.Equal(us[0], u[0]));
            Assert.True(Fp2.Equal(us[1], u[1]));
            HashToG2.MapToCurve(u[0], out var q0);
            HashToG2.MapToCurve(u[1], out var q1);
            AssertPoint(v.GetProperty("Q0"), q0);
            AssertPoint(v.GetProperty("Q1"), q1);
            HashToG2.Hash(msg, dst, out var p);
            AssertPoint(v.GetProperty("P"), p);
            Assert.True(G2.IsInSubgroup(p));
            count++;
        }
        Assert.Equal(5, count);
    }

    public static IEnumerable<object[]> HashToG2Cases() => CaseFiles("hash_to_G2");

    [Theory]
    [MemberData(nameof(HashToG2Cases))]
    public void HashToG2MatchesEthereumVectors(string file)
    {
        var root = Load("bls", "hash_to_G2", file);
        var msg = Encoding.ASCII.GetBytes(root.GetProperty("input").GetProperty("msg").GetString()!);
        var dst = Encoding.ASCII.GetBytes("QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_");
        HashToG2.Hash(msg, dst, out var p);
        AssertPoint(root.GetProperty("output"), p);
    }
}
