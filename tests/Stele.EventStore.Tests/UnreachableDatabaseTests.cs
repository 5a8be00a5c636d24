using System.Net;
using System.Net.Sockets;
using Npgsql;
using Stele.EventStore.Leadership;
using Stele.EventStore.Tests.Support;

namespace Stele.EventStore.Tests;

public sealed class UnreachableDatabaseTests
{
    /// <summary>A loopback port that nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task A_closed_port_gives_one_clear_error_without_secrets()
    {
        var port = ClosedPort();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password=hunter2;Database=stele;Timeout=5";
        await using var source = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresEventStore(source, TestEvents.Registry);

        var append = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.AppendAsync("s", ExpectedVersion.Any, TestEvents.Deposits(1)));
        var read = await Assert.ThrowsAsync<EventStoreUnavailableException>(async () => await store.ReadAllAsync().CountAsync());
        var leader = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => new LeaderElection(connectionString, "daemon").TryAcquireAsync());

        foreach (var ex in new Exception[] { append, read, leader })
        {
            Assert.Equal($"cannot reach PostgreSQL at 127.0.0.1:{port}: connection refused (is the server running?)", ex.Message);
            Assert.DoesNotContain("hunter2", ex.ToString(), StringComparison.Ordinal);
        }
    }
}
