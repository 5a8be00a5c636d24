using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Stele.Crypto.Bls.Field;
using Stele.Testing;

namespace Stele.Crypto.Bls.Tests;

internal static class VectorHelpers
{
    internal static JsonElement Load(params string[] parts) => JsonDocument.Parse(File.ReadAllText(TestData.PathOf(parts))).RootElement;

    internal static IEnumerable<object[]> CaseFiles(string folder) =>
        Directory.GetFiles(TestData.PathOf("bls", folder), "*.json").Order().Select(f => new object[] { Path.GetFileName(f) });

    internal static BigInteger HexInt(string s) =>
        BigInteger.Parse("0" + (s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s), NumberStyles.HexNumber);

    internal static Fp2 ParseFp2(string s)
    {
        var parts = s.Split(',');
        return Fp2.FromBigIntegers(HexInt(parts[0]), HexInt(parts[1]));
    }

    internal static byte[] Bytes(string? hex) =>
        hex is null ? [] : Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);
}
