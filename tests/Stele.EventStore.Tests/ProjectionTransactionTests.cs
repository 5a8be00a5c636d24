using Npgsql;
using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

public sealed class ProjectionTransactionTests(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>, IAsyncLifetime
{
    private readonly PostgresEventStore _store = db.CreateStore();

    public Task InitializeAsync() => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS balances (account text PRIMARY KEY, amount bigint NOT NULL)");

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task AddBalanceAsync(Projections.ProjectionTransaction tx, string account, long amount)
    {
        await using var command = tx.CreateCommand(
            "INSERT INTO balances VALUES ($1, $2) ON CONFLICT (account) DO UPDATE SET amount = balances.amount + EXCLUDED.amount");
        command.Parameters.Add(new() { Value = account });
        command.Parameters.Add(new() { Value = amount });
        await command.ExecuteNonQueryAsync();
    }

    private Task<long> BalanceAsync(string account) =>
        db.ScalarAsync<long>($"SELECT coalesce(sum(amount), 0)::bigint FROM balances WHERE account = '{account}'");

    [Fact]
    public async Task Projection_writes_and_checkpoint_commit_together()
    {
        var name = "proj-" + Guid.NewGuid().ToString("N")[..8];
        var account = name + "-acct";

        await using (var tx = await _store.BeginProjectionAsync())
        {
            Assert.Equal(0, await tx.GetCheckpointAsync(name));
            await AddBalanceAsync(tx, account, 40);
            await tx.AdvanceCheckpointAsync(name, 0, 10);
            await tx.CommitAsync();
        }
        await using (var tx = await _store.BeginProjectionAsync())
        {
            await AddBalanceAsync(tx, account, 2);
            await tx.AdvanceCheckpointAsync(name, 10, 15);
            await tx.CommitAsync();
        }

        Assert.Equal(42, await BalanceAsync(account));
        Assert.Equal(15, await _store.GetCheckpointAsync(name));
    }

    [Fact]
    public async Task Projection_writes_and_checkpoint_roll_back_together()
    {
        var name = "proj-" + Guid.NewGuid().ToString("N")[..8];
        var account = name + "-acct";

        await using (var tx = await _store.BeginProjectionAsync())
        {
            await AddBalanceAsync(tx, account, 40);
            await tx.AdvanceCheckpointAsync(name, 0, 10);
            // no commit: a crash, or an exception in the projection
        }

        await using (var tx = await _store.BeginProjectionAsync())
        {
            await AddBalanceAsync(tx, account, 1);
            await tx.AdvanceCheckpointAsync(name, 0, 20);
            // the projection's own write fails after the checkpoint moved: both must go
            await using var bad = tx.CreateCommand("INSERT INTO balances VALUES (NULL, 1)");
            await Assert.ThrowsAsync<PostgresException>(() => bad.ExecuteNonQueryAsync());
            var ex = await Assert.ThrowsAsync<EventStoreException>(() => tx.CommitAsync());
            Assert.Contains("rolled back", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, await BalanceAsync(account));
        Assert.Equal(0, await _store.GetCheckpointAsync(name));
    }

    [Fact]
    public async Task A_second_runner_advancing_from_a_stale_checkpoint_is_refused()
    {
        var name = "proj-" + Guid.NewGuid().ToString("N")[..8];
        await using (var tx = await _store.BeginProjectionAsync())
        {
            await tx.AdvanceCheckpointAsync(name, 0, 5);
            await tx.CommitAsync();
        }

        await using var first = await _store.BeginProjectionAsync();
        await using var second = await _store.BeginProjectionAsync();
        await first.AdvanceCheckpointAsync(name, 5, 9);
        var racing = second.AdvanceCheckpointAsync(name, 5, 7); // blocks on the row until first commits
        await Task.Delay(200);
        Assert.False(racing.IsCompleted);
        await first.CommitAsync();

        var ex = await Assert.ThrowsAsync<CheckpointConflictException>(() => racing);
        Assert.Equal(5, ex.Expected);
        Assert.Equal(9, ex.Actual);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.Equal(9, await _store.GetCheckpointAsync(name));
    }

    [Fact]
    public async Task Two_first_runs_race_and_only_one_creates_the_checkpoint()
    {
        var name = "proj-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await _store.BeginProjectionAsync();
        await using var second = await _store.BeginProjectionAsync();
        await first.AdvanceCheckpointAsync(name, 0, 3);
        var racing = second.AdvanceCheckpointAsync(name, 0, 4);
        await Task.Delay(200);
        await first.CommitAsync();

        var ex = await Assert.ThrowsAsync<CheckpointConflictException>(() => racing);
        Assert.Equal(3, ex.Actual);
    }

    [Fact]
    public async Task Checkpoints_only_move_forward_and_can_be_reset()
    {
        var name = "proj-" + Guid.NewGuid().ToString("N")[..8];
        await using (var tx = await _store.BeginProjectionAsync())
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tx.AdvanceCheckpointAsync(name, 5, 5));
            await Assert.ThrowsAsync<ArgumentException>(() => tx.AdvanceCheckpointAsync("bad name", 0, 1));
            await tx.AdvanceCheckpointAsync(name, 0, 8);
            await tx.CommitAsync();
        }
        await using (var tx = await _store.BeginProjectionAsync())
        {
            await tx.ResetCheckpointAsync(name);
            await tx.CommitAsync();
        }
        Assert.Equal(0, await _store.GetCheckpointAsync(name));
    }
}
