using Stele.Client;
using Xunit.Abstractions;

namespace Stele.EndToEnd.Tests;

/// <summary>
/// The bar of issue 5: the real `stele serve` (API + publisher), the real PostgreSQL and s3rver;
/// many concurrent submissions; SIGKILL while the published checkpoint lags the stream; restart;
/// every acknowledged entry is in the published log exactly once, and the log verifies
/// (Stele.Reader, from the files alone) and is consistent with a checkpoint taken before the kills.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int Kills = 3;
    private const int AcknowledgedBetweenKills = 150;

    [Theory]
    [InlineData(StorageKind.S3)]
    [InlineData(StorageKind.Directory)]
    public async Task Every_acknowledged_entry_survives_repeated_SIGKILLs_exactly_once_and_the_log_verifies(StorageKind kind)
    {
        await using var board = new EndToEndBoard(kind);
        try
        {
            await RunAsync(board, kind);
        }
        catch
        {
            await Task.Delay(1000); // the server's console logger writes asynchronously
            output.WriteLine(board.ServerLogs);
            throw;
        }
    }

    private async Task RunAsync(EndToEndBoard board, StorageKind kind)
    {
        await board.StartServerAsync();
        using var client = board.NewClient();
        var writers = new List<ClientKeys>();
        for (var i = 0; i < Writers; i++) writers.Add(await board.RegisterAsync(client));

        // Every 16th entry is a blob, so kills also land mid-multipart and mid-blob-copy.
        var load = new SubmissionLoad(withBlobs: true);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(client, writers, stop.Token);
        byte[]? beforeKills = null;
        var killsWhileLagging = 0;
        try
        {
            for (var kill = 1; kill <= Kills; kill++)
            {
                await WaitForAsync(() => load.AcknowledgedCount >= kill * AcknowledgedBetweenKills, TimeSpan.FromSeconds(120));
                beforeKills ??= await board.ReadCheckpointAsync();
                await Task.Delay(Random.Shared.Next(0, 150));
                // Lagging: the stream holds acknowledged entries the published checkpoint does not cover yet.
                var published = PublishedLeaves.CheckpointSize(await board.ReadCheckpointAsync());
                var acknowledgedLeaves = (ulong)(Writers + load.AcknowledgedCount);
                await board.Server!.KillAsync();
                if (published < acknowledgedLeaves) killsWhileLagging++;
                output.WriteLine($"kill {kill}: {load.AcknowledgedCount} acknowledged, checkpoint at {published}, {load.FailedAttempts} failed attempts so far");
                await Task.Delay(Random.Shared.Next(100, 400)); // writers hit a dead port meanwhile
                await board.StartServerAsync();
            }
            await WaitForAsync(() => load.AcknowledgedCount >= (Kills + 1) * AcknowledgedBetweenKills, TimeSpan.FromSeconds(120));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        Assert.Empty(load.Refusals);
        Assert.True(killsWhileLagging > 0, "no kill landed while the checkpoint lagged the stream");
        Assert.True(load.FailedAttempts > 0, "no submission was cut off by a kill");

        // Every acknowledged entry becomes included: the client verifies each proof against the trusted key.
        foreach (var submitted in load.Acknowledged)
        {
            var inc = await client.WaitForInclusionAsync(submitted, TimeSpan.FromSeconds(60));
            if (inc is null)
            {
                var status = await client.GetStatusAsync(submitted.Descriptor.Client, submitted.Descriptor.Sequence);
                Assert.Fail($"entry {submitted.Descriptor.Client}/{submitted.Descriptor.Sequence} not included within 60 s: {status.State} {status.Reason}");
            }
        }

        // The whole published log verifies from the files alone, consistent with the pre-kill checkpoint.
        var log = await board.VerifyAsync(beforeKills);
        Assert.Equal(PublishedLeaves.CheckpointSize(beforeKills), log.ConsistentSince!.Value.Value);
        await using var source = board.OpenSource();
        var leaves = await PublishedLeaves.ReadAsync(source, log.Size);
        var occurrences = leaves.GroupBy(Convert.ToHexString).ToDictionary(g => g.Key, g => g.Count());
        foreach (var submitted in load.Acknowledged)
        {
            var key = Convert.ToHexString(submitted.Record.ToBytes());
            Assert.True(occurrences.TryGetValue(key, out var count) && count == 1,
                $"entry {submitted.Descriptor.Client}/{submitted.Descriptor.Sequence} appears {count} times in the published log");
        }
        // Every leaf is a registration or an entry someone attempted; no more than were attempted.
        Assert.Equal(leaves.Count, occurrences.Count);
        Assert.InRange(log.Entries, (long)load.AcknowledgedCount, load.AcknowledgedCount + load.FailedAttempts);
        Assert.Equal(Writers, log.Registrations);
        output.WriteLine($"{kind}: {log.Size.Value} leaves, {load.AcknowledgedCount} acknowledged, {load.FailedAttempts} failed attempts, {killsWhileLagging}/{Kills} kills while lagging");
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met within {timeout}");
            await Task.Delay(20);
        }
    }
}
