using System.Diagnostics;
using Stele.EventStore.Leadership;
using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

public sealed class LeaderElectionTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    private static readonly LeaderElectionOptions Fast = new()
    {
        RetryInterval = TimeSpan.FromMilliseconds(200),
        CheckInterval = TimeSpan.FromMilliseconds(200),
    };

    private LeaderElection Election(string name) => new(db.ConnectionString, name, Fast);

    private async Task<int> HolderPidAsync(LeaderElection election) =>
        await db.ScalarAsync<int>($"""
            SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
              AND ((classid::bigint << 32) | objid::bigint) = {election.LockKey}
            """);

    [Fact]
    public async Task Only_one_leader_at_a_time_and_release_hands_over()
    {
        var name = "daemon-" + Guid.NewGuid().ToString("N")[..8];
        var a = Election(name);
        var b = Election(name);

        var leaseA = await a.TryAcquireAsync();
        Assert.NotNull(leaseA);
        Assert.Null(await b.TryAcquireAsync());
        await using (var otherName = await Election("other-" + Guid.NewGuid().ToString("N")[..8]).TryAcquireAsync())
            Assert.NotNull(otherName); // names are independent

        var waiting = b.AcquireAsync();
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);

        await leaseA.DisposeAsync();
        Assert.True(leaseA.Lost.IsCancellationRequested);
        await using var leaseB = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(leaseB.IsHeld);
    }

    [Fact]
    public async Task A_standby_takes_over_within_seconds_when_the_leader_connection_is_killed()
    {
        var name = "daemon-" + Guid.NewGuid().ToString("N")[..8];
        var leader = Election(name);
        var standby = Election(name);
        await using var leaderLease = await leader.AcquireAsync();
        var leaderLost = new TaskCompletionSource();
        leaderLease.Lost.Register(() => leaderLost.TrySetResult());
        var takeOver = standby.AcquireAsync();
        await Task.Delay(300);
        Assert.False(takeOver.IsCompleted);

        var pid = await HolderPidAsync(leader);
        var clock = Stopwatch.StartNew();
        Assert.True(await db.ScalarAsync<bool>($"SELECT pg_terminate_backend({pid})"));

        await using var standbyLease = await takeOver.WaitAsync(TimeSpan.FromSeconds(5));
        var failover = clock.Elapsed;
        await leaderLost.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(failover < TimeSpan.FromSeconds(3), $"failover took {failover}");
        Assert.False(leaderLease.IsHeld);
        Assert.NotNull(leaderLease.LostReason);
        Assert.True(standbyLease.IsHeld);
        Assert.NotEqual(pid, await HolderPidAsync(standby));
    }

    [Fact]
    public void Lock_keys_are_stable_per_name()
    {
        Assert.Equal(Election("projections").LockKey, Election("projections").LockKey);
        Assert.NotEqual(Election("projections").LockKey, Election("broker").LockKey);
        Assert.Throws<ArgumentException>(() => Election("not valid"));
    }
}
