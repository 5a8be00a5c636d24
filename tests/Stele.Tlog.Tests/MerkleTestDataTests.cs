using System.Text.Json;
using Stele.Testing;
using Stele.Tlog.Proofs;
using Stele.Tlog.Tiles;

namespace Stele.Tlog.Tests;

/// <summary>
/// Every case in shared/testdata/merkle (transparency-dev/merkle's proofgen output). Our verifier
/// follows the same policy as transparency-dev and Go's sumdb/tlog on the three "size1 = 0"
/// consistency cases the README describes: a consistency check from the empty tree is rejected.
/// </summary>
public sealed class MerkleTestDataTests
{
    private static readonly string Root = TestData.PathOf("merkle");

    public static TheoryData<string> InclusionCases() => Cases("inclusion");

    public static TheoryData<string> ConsistencyCases() => Cases("consistency");

    [Fact]
    public void AllCasesAreFound()
    {
        Assert.Equal(196, InclusionCases().Count + ConsistencyCases().Count);
    }

    [Theory]
    [MemberData(nameof(InclusionCases))]
    public void Inclusion(string relativePath)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, relativePath)));
        var c = json.RootElement;
        var wantErr = c.GetProperty("wantErr").GetBoolean();
        var verified =
            TryHash(c.GetProperty("leafHash"), out var leaf) &&
            TryHash(c.GetProperty("root"), out var root) &&
            TryProof(c.GetProperty("proof"), out var proof) &&
            MerkleVerifier.VerifyInclusion(new LeafIndex(c.GetProperty("leafIdx").GetUInt64()),
                new TreeSize(c.GetProperty("treeSize").GetUInt64()), leaf, proof, root);
        Assert.True(verified != wantErr, $"{relativePath}: {c.GetProperty("desc").GetString()} — verified={verified}, wantErr={wantErr}");
    }

    [Theory]
    [MemberData(nameof(ConsistencyCases))]
    public void Consistency(string relativePath)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, relativePath)));
        var c = json.RootElement;
        var wantErr = c.GetProperty("wantErr").GetBoolean();
        var verified =
            TryHash(c.GetProperty("root1"), out var root1) &&
            TryHash(c.GetProperty("root2"), out var root2) &&
            TryProof(c.GetProperty("proof"), out var proof) &&
            MerkleVerifier.VerifyConsistency(new TreeSize(c.GetProperty("size1").GetUInt64()),
                new TreeSize(c.GetProperty("size2").GetUInt64()), proof, root1, root2);
        Assert.True(verified != wantErr, $"{relativePath}: {c.GetProperty("desc").GetString()} — verified={verified}, wantErr={wantErr}");
    }

    [Fact]
    public void EmptyOldTreeIsRejectedWithAReason()
    {
        var check = MerkleVerifier.CheckConsistency(TreeSize.Empty, new TreeSize(0), [], Rfc6962.EmptyTreeHash, Rfc6962.EmptyTreeHash);
        Assert.False(check.IsValid);
        Assert.Contains("empty tree", check.Failure);
    }

    [Fact]
    public async Task ReferenceRootsAndSubtreeHashes()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "reference_tree_hashes.json")));
        var leaves = json.RootElement.GetProperty("leaf_inputs_hex").EnumerateArray()
            .Select(e => Rfc6962.HashLeaf(Convert.FromHexString(e.GetString()!))).ToArray();
        var roots = json.RootElement.GetProperty("root_hashes_hex_by_tree_size");
        Assert.Equal(Hash.FromHex(roots.GetProperty("0").GetString()!), new IncrementalTree().Root);

        var store = new MemoryTileStore();
        var tree = new IncrementalTree();
        for (var size = 1; size <= leaves.Length; size++)
        {
            var update = tree.Append(leaves.AsSpan(size - 1, 1));
            store.Write(update);
            var expected = Hash.FromHex(roots.GetProperty(size.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetString()!);
            Assert.Equal(expected, update.Root);
            Assert.Equal(expected, await TileProofs.TreeHashAsync(store, new TreeSize((ulong)size)));
        }

        var reader = new TileNodeReader(store, new TreeSize((ulong)leaves.Length));
        foreach (var level in json.RootElement.GetProperty("complete_subtree_hashes_hex_by_level").EnumerateObject())
        {
            var index = 0UL;
            foreach (var hex in level.Value.EnumerateArray())
                Assert.Equal(Hash.FromHex(hex.GetString()!), await reader.NodeAsync(int.Parse(level.Name, System.Globalization.CultureInfo.InvariantCulture), index++, default));
        }
    }

    private static TheoryData<string> Cases(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, kind), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Root, file));
        return data;
    }

    // Go encodes []byte as base64. Some cases use placeholder roots that are not 32 bytes
    // ("don't care 1"); our Hash type cannot hold those, so they are mapped one-to-one onto a
    // 32-byte value no real tree produces: equal placeholders stay equal, and none matches a real hash.
    // An empty value is no hash at all, and the case fails as a parser would reject it.
    private static bool TryHash(JsonElement element, out Hash hash)
    {
        hash = default;
        if (element.ValueKind != JsonValueKind.String) return false;
        var bytes = Convert.FromBase64String(element.GetString()!);
        if (bytes.Length == 0) return false;
        hash = bytes.Length == Hash.Length
            ? Hash.FromBytes(bytes)
            : Hash.FromBytes(System.Security.Cryptography.SHA256.HashData([.. "placeholder, not a hash:"u8, .. bytes]));
        return true;
    }

    private static bool TryProof(JsonElement element, out Hash[] proof)
    {
        proof = [];
        if (element.ValueKind == JsonValueKind.Null) return true;
        var list = new List<Hash>();
        foreach (var item in element.EnumerateArray())
        {
            if (!TryHash(item, out var h)) return false;
            list.Add(h);
        }
        proof = [.. list];
        return true;
    }
}
