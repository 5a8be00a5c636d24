using Stele.EventStore.Leadership;
using Stele.Projections.Daemon;
using Stele.Projections.Tests.Support;
using Stele.Storage.Local;

namespace Stele.Projections.Tests;

public sealed class DaemonTests
{
    private static readonly LeaderElectionOptions FastElection = new() { RetryInterval = TimeSpan.FromMilliseconds(100), CheckInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task One_daemon_leads_and_publishes_while_a_second_stays_standby_then_takes_over()
    {
        using var key = LogKey.Generate("test.example/daemon");
        using var scenario = new Scenario(key.Origin, entries: 20);
        using var dir = new TempDirectory();
        await using var log = await TestLog.CreateAsync();
        var store = new DirectoryObjectStore(dir.Path);
        var options = new ProjectionOptions { PublishInterval = TimeSpan.FromMilliseconds(20) };
        using var first = new ProjectionDaemon(log.Events, log.DataSource, log.Database.ConnectionString, store, key, options, electionOptions: FastElection);
        using var second = new ProjectionDaemon(log.Events, log.DataSource, log.Database.ConnectionString, store, key, options, electionOptions: FastElection);

        await first.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => first.IsLeader);
        await second.StartAsync(CancellationToken.None);
        await log.PostAsync(scenario.Openings, [.. scenario.Rounds[0]]);
        await WaitUntilAsync(() => first.PublishedSize.Value == 22);
        Assert.False(second.IsLeader);
        var (checkpoint, _) = await LogChecker.VerifyAsync(store, key.Verifier);
        Assert.Equal(22ul, checkpoint.Size.Value);

        await first.StopAsync(CancellationToken.None);
        await WaitUntilAsync(() => second.IsLeader);
        await log.PostAsync(scenario.Openings, [.. scenario.Rounds[1]]);
        await WaitUntilAsync(() => second.PublishedSize.Value == (ulong)scenario.AcceptedLeaves(20));
        (checkpoint, _) = await LogChecker.VerifyAsync(store, key.Verifier);
        Assert.Equal((ulong)scenario.AcceptedLeaves(20), checkpoint.Size.Value);
        await second.StopAsync(CancellationToken.None);
        Assert.Null(first.Alarm);
        Assert.Null(second.Alarm);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached in 30 s");
            await Task.Delay(20);
        }
    }
}
