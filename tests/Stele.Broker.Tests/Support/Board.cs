using Stele.Domain.Events;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Migrations;
using Stele.Projections;
using Stele.Projections.Daemon;
using Stele.Storage.Local;
using Stele.Testing.Postgres;

namespace Stele.Broker.Tests.Support;

/// <summary>A real board: a migrated scratch database, the log projection publishing into a temp directory, and registered clients.</summary>
internal sealed class Board : IAsyncDisposable
{
    private Board(ScratchDatabase database, PostgresEventStore events, LogKey key, string directory, LogProjection projection)
    {
        Database = database;
        Events = events;
        Key = key;
        Directory = directory;
        Projection = projection;
    }

    public ScratchDatabase Database { get; }
    public PostgresEventStore Events { get; }
    public LogKey Key { get; }
    public string Directory { get; }
    public LogProjection Projection { get; }

    public static async Task<Board> CreateAsync(string origin)
    {
        var database = await ScratchDatabase.CreateAsync();
        await MigrationRunner.FromEmbeddedScripts().MigrateAsync(database.DataSource);
        var events = new PostgresEventStore(database.DataSource, new EventTypeRegistryBuilder().AddLogEvents().Build());
        var key = LogKey.Generate(origin);
        var directory = System.IO.Directory.CreateTempSubdirectory("stele-broker-").FullName;
        var projection = await LogProjection.OpenAsync(events, database.DataSource, new DirectoryObjectStore(directory), key);
        return new Board(database, events, key, directory, projection);
    }

    /// <summary>Appends the clients' registrations and folds them, so stele.clients lists them.</summary>
    public async Task RegisterAsync(params Identity[] clients)
    {
        var registrations = clients.Select(c => (object)ClientRegistrations.Sign(Key.Origin, c.Ed, c.Bls, DateTimeOffset.UtcNow)).ToArray();
        await Events.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, registrations);
        await Projection.CatchUpAsync();
    }

    /// <summary>Runs the projection until <paramref name="done"/> completes (or the timeout), as the daemon would.</summary>
    public async Task FoldUntilAsync(Task done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Projection.CatchUpAsync();
            await Task.WhenAny(done, Task.Delay(100));
        }
        Assert.True(done.IsCompleted, $"not done within {timeout}");
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        Key.Dispose();
        await Database.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
