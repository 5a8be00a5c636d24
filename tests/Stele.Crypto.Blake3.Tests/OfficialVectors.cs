using System.Text.Json;
using Stele.Testing;

namespace Stele.Crypto.Blake3.Tests;

/// <summary>The official BLAKE3 known-answer file (input byte i is i % 251; outputs are 131 bytes of XOF).</summary>
internal sealed class OfficialVectors
{
    public static OfficialVectors Instance { get; } = Load();

    public required byte[] Key { get; init; }
    public required string Context { get; init; }
    public required IReadOnlyList<VectorCase> Cases { get; init; }

    public static byte[] Input(int length)
    {
        var input = new byte[length];
        for (var i = 0; i < length; i++) input[i] = (byte)(i % 251);
        return input;
    }

    private static OfficialVectors Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.PathOf("blake3", "test_vectors.json")));
        var root = document.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray().Select(c => new VectorCase(
            c.GetProperty("input_len").GetInt32(),
            Convert.FromHexString(c.GetProperty("hash").GetString()!),
            Convert.FromHexString(c.GetProperty("keyed_hash").GetString()!),
            Convert.FromHexString(c.GetProperty("derive_key").GetString()!))).ToList();
        return new OfficialVectors
        {
            Key = System.Text.Encoding.ASCII.GetBytes(root.GetProperty("key").GetString()!),
            Context = root.GetProperty("context_string").GetString()!,
            Cases = cases,
        };
    }
}

internal sealed record VectorCase(int InputLength, byte[] Hash, byte[] KeyedHash, byte[] DeriveKey);
