using Stele.Client;
using Stele.Domain.Content;
using Stele.Tlog.Tests;

namespace Stele.EndToEnd.Tests;

/// <summary>
/// An independent tlog client, Go's golang.org/x/mod/sumdb/note + sumdb/tlog (tests/interop/go, `log`
/// command), verifies a log published by the REAL pipeline (`stele serve`: API, fold, publisher):
/// the checkpoint signature, the inclusion of every entry of the entry bundles, and consistency with
/// a checkpoint published earlier (before a SIGKILL and restart).
/// </summary>
public sealed class GoClientTests(GoInterop go) : IClassFixture<GoInterop>
{
    [Fact]
    public async Task Go_verifies_the_checkpoint_every_inclusion_and_consistency_of_a_log_the_server_published()
    {
        await using var board = new EndToEndBoard(StorageKind.Directory);
        await board.StartServerAsync();
        using var client = board.NewClient();
        using var alice = await board.RegisterAsync(client);
        using var bob = await board.RegisterAsync(client);

        var first = await SubmitAsync(client, [alice, bob], 120);
        Assert.NotNull(await client.WaitForInclusionAsync(first, TimeSpan.FromSeconds(60)));
        var old = Path.Combine(go.WorkDir, "old-checkpoint");
        await File.WriteAllBytesAsync(old, (await board.ReadCheckpointAsync())!);

        await board.Server!.KillAsync();
        await board.StartServerAsync();
        // Past a full tile (256 leaves), with batched entries too, so full and partial tiles are both checked.
        var last = await SubmitAsync(client, [alice, bob], 150);
        var batch = await client.SubmitBatchAsync(alice, [.. Enumerable.Range(0, 20).Select(i => new BatchItem(BitConverter.GetBytes(i), MediaType.OctetStream))]);
        Assert.NotNull(await client.WaitForInclusionAsync(last, TimeSpan.FromSeconds(60)));
        Assert.NotNull(await client.WaitForInclusionAsync(batch.Entries[^1], TimeSpan.FromSeconds(60)));

        var size = PublishedLeaves.CheckpointSize(await board.ReadCheckpointAsync());
        var oldSize = PublishedLeaves.CheckpointSize(await File.ReadAllBytesAsync(old));
        Assert.True(size > 256 && oldSize < size, $"sizes {oldSize} -> {size}");
        var (code, stdout, stderr) = go.Run("log", board.Verifier.ToString(), board.Directory!, old);
        Assert.True(code == 0, stderr);
        Assert.Equal($"ok {EndToEndBoard.Origin} {size} inclusions {size} consistent-from {oldSize}\n", stdout);

        // The same client refuses another key, and a tampered entry bundle.
        using var other = Stele.Projections.LogKey.Generate(EndToEndBoard.Origin);
        Assert.NotEqual(0, go.Run("log", other.Verifier.ToString(), board.Directory!).ExitCode);
        await board.Server!.KillAsync();
        var bundle = Path.Combine(board.Directory!, "tile", "entries", "000");
        var bytes = await File.ReadAllBytesAsync(bundle);
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(bundle, bytes);
        var tampered = go.Run("log", board.Verifier.ToString(), board.Directory!);
        Assert.NotEqual(0, tampered.ExitCode);
        Assert.Contains("inclusion of entry", tampered.Stderr);
    }

    private static async Task<SubmissionResult> SubmitAsync(SteleClient client, ClientKeys[] writers, int count)
    {
        SubmissionResult? last = null;
        for (var i = 0; i < count; i++)
            last = await client.SubmitAsync(writers[i % writers.Length], BitConverter.GetBytes(Random.Shared.NextInt64()), MediaType.OctetStream);
        return last!;
    }
}
