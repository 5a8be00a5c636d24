using System.Text;
using System.Text.Json;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;
using Stele.Tlog.Proofs;
using Stele.Tlog.Tiles;

namespace Stele.Tlog.Tests;

/// <summary>
/// Independent interop with Go's golang.org/x/mod/sumdb/note and sumdb/tlog through our program in
/// tests/interop/go. Fails (with an install hint) when Go is missing: this check is a bar, not optional.
/// </summary>
public sealed class InteropWithGoTests(GoInterop go) : IClassFixture<GoInterop>
{
    // Go's tlog.Hash JSON decoder wants the base64 literally, without \u002B escapes.
    private static readonly JsonSerializerOptions RawJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void MissingGoFailsWithAnInstallHint()
    {
        using var missing = new GoInterop("/nonexistent/go");
        var ex = Assert.Throws<InvalidOperationException>(() => missing.Run("keygen", "x"));
        Assert.Contains("Go is not installed", ex.Message);
        Assert.Contains("apt-get install -y golang-go golang-golang-x-mod-dev", ex.Message);
    }

    [Fact]
    public void GoVerifiesACheckpointSignedByStele()
    {
        using var key = NoteSignerKey.Generate("stele.example/board");
        var root = Rfc6962.HashLeaf("some root"u8);
        var file = Write("checkpoint", new CheckpointSigner(key).Sign(new TreeSize(70_000), root));

        var (code, stdout, stderr) = go.Run("checkpoint", key.Verifier.ToString(), file);
        Assert.True(code == 0, stderr);
        Assert.Equal($"stele.example/board 70000 {root.ToBase64()}\n", stdout);
    }

    [Fact]
    public void GoRejectsATamperedSteleCheckpoint()
    {
        using var key = NoteSignerKey.Generate("stele.example/board");
        var text = Encoding.UTF8.GetString(new CheckpointSigner(key).Sign(new TreeSize(10), Rfc6962.EmptyTreeHash));
        var file = Write("tampered", Encoding.UTF8.GetBytes(text.Replace("\n10\n", "\n11\n", StringComparison.Ordinal)));
        var (code, _, stderr) = go.Run("open", key.Verifier.ToString(), file);
        Assert.NotEqual(0, code);
        Assert.Contains("invalid signature", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SteleVerifiesANoteAndACheckpointSignedByGo()
    {
        var (code, stdout, stderr) = go.Run("keygen", "witness.example/w1");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var verifier = NoteVerifierKey.Parse(lines[1]);
        Assert.Equal(lines[1], verifier.ToString());

        var text = "witness.example/w1\n42\n" + Rfc6962.HashLeaf("x"u8).ToBase64() + "\nan extension\n";
        var signed = go.Run("sign", lines[0], Write("text", Encoding.UTF8.GetBytes(text)));
        Assert.True(signed.ExitCode == 0, signed.Stderr);

        var note = UnverifiedNote.Parse(Encoding.UTF8.GetBytes(signed.Stdout)).Verify(new NoteVerifiers(verifier));
        Assert.Equal(text, note.Text);
        var checkpoint = UnverifiedCheckpoint.Parse(signed.Stdout).Verify(new NoteVerifiers(verifier));
        Assert.Equal(new TreeSize(42), checkpoint.Size);
        Assert.Equal(["an extension"], checkpoint.Extensions);

        // Same key file, same text: Stele's deterministic Ed25519 signature is Go's, byte for byte.
        using var signer = NoteSignerKey.Parse(lines[0]);
        Assert.Equal(verifier, signer.Verifier);
        Assert.Equal(signed.Stdout, Encoding.UTF8.GetString(NoteSigner.Sign(text, signer)));
        Assert.Equal(lines[0], signer.ExportPrivateKey());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1000, 2)]
    [InlineData(70_000, 3)]
    public async Task GoChecksSteleTilesAndProofs(int total, int seed)
    {
        var dir = Directory.CreateDirectory(Path.Combine(go.WorkDir, $"tiles-{total}")).FullName;
        var store = new DirectoryTileStore(dir);
        var leaves = TestLeaves.Make(total, seed);
        var tree = new IncrementalTree();
        var checkpoints = new List<TreeUpdate>();
        var random = new Random(seed);
        for (var done = 0; done < total;)
        {
            var batch = Math.Min(total - done, random.Next(1, 5000));
            var update = tree.Append(leaves.AsSpan(done, batch));
            store.Write(update);
            checkpoints.Add(update);
            done += batch;
        }
        var head = checkpoints[^1];

        var inclusions = new List<object>();
        foreach (var index in Enumerable.Range(0, 12).Select(_ => (ulong)random.Next(total)).Append(0UL).Append((ulong)total - 1).Distinct())
        {
            var proof = await TileProofs.InclusionProofAsync(store, new LeafIndex(index), head.Size);
            inclusions.Add(new { index, leafHash = leaves[index].ToBase64(), proof = proof.Select(h => h.ToBase64()) });
        }
        var consistencies = new List<object>();
        foreach (var old in checkpoints.Take(checkpoints.Count - 1).Where(_ => random.Next(3) == 0).Take(10))
        {
            var proof = await TileProofs.ConsistencyProofAsync(store, old.Size, head.Size);
            consistencies.Add(new { size = old.Size.Value, root = old.Root.ToBase64(), proof = proof.Select(h => h.ToBase64()) });
        }
        var request = Write($"request-{total}.json", JsonSerializer.SerializeToUtf8Bytes(new
        {
            size = head.Size.Value,
            root = head.Root.ToBase64(),
            inclusions,
            consistencies,
        }, RawJson));

        var (code, stdout, stderr) = go.Run("check", dir, request);
        Assert.True(code == 0, stderr);
        Assert.Equal($"ok {1 + inclusions.Count + consistencies.Count} checks\n", stdout);

        // A flipped bit in leaf 1's hash (on leaf 0's audit path) must make Go fail: either its
        // tile authentication or its own proof no longer matching Stele's. (x/mod 0.7.0's
        // TileHashReader does not authenticate every child tile when several subtree hashes of the
        // tree head share a tile, so a flip off the proof path can go unnoticed by Go.)
        var victim = store.PathOf(TileId.Hashes(0, 0, Math.Min(total, TileId.FullWidth)));
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[total > 1 ? Hash.Length : 0] ^= 1;
        await File.WriteAllBytesAsync(victim, bytes);
        var corrupted = go.Run("check", dir, request);
        Assert.True(corrupted.ExitCode != 0, $"Go accepted a corrupted {victim}: {corrupted.Stdout}");
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(go.WorkDir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
