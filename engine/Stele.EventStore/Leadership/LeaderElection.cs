using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Stele.EventStore.Leadership;

/// <summary>
/// Elects one leader (e.g. of the projection daemon) among processes sharing a database: the leader
/// holds a session advisory lock on a dedicated, unpooled connection. When that connection dies the
/// server drops the lock and a standby takes it within <see cref="LeaderElectionOptions.RetryInterval"/>;
/// the old leader notices within <see cref="LeaderElectionOptions.CheckInterval"/> and its
/// <see cref="LeaderLease.Lost"/> token fires. Pair it with checkpoint compare-and-set
/// (<see cref="Projections.ProjectionTransaction.AdvanceCheckpointAsync"/>) for the short overlap.
/// </summary>
public sealed class LeaderElection
{
    private readonly string _connectionString;
    private readonly LeaderElectionOptions _options;

    public LeaderElection(string connectionString, string name, LeaderElectionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Name = StreamIds.Validate(name, "leader election name");
        LockKey = LockKeyFor(name);
        _options = options ?? new LeaderElectionOptions();
        _options.Validate();
        // Unpooled: closing must end the session (and so release the lock), never park it in a pool.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = $"stele-leader:{name}",
            KeepAlive = 5,
        }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The advisory lock key: the first 8 bytes of SHA-256("stele.leader:" + name).</summary>
    public long LockKey { get; }

    /// <summary>One attempt: the lease if this process became leader, otherwise null.</summary>
    public async Task<LeaderLease?> TryAcquireAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await Connections.OpenAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                return LeaderLease.Start(connection, LockKey, _options);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>Waits until this process is the leader. Unreachable-database errors are retried, not thrown.</summary>
    public async Task<LeaderLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                if (await TryAcquireAsync(cancellationToken).ConfigureAwait(false) is { } lease) return lease;
            }
            catch (Exception ex) when (ex is NpgsqlException or EventStoreUnavailableException && !cancellationToken.IsCancellationRequested)
            {
                // the database is away; keep trying at the same pace
            }
            await Task.Delay(_options.RetryInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static long LockKeyFor(string name) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("stele.leader:" + name)), 0);
}
