using Npgsql;
using NpgsqlTypes;
using Stele.Cli.Hosting;
using Stele.Domain.Batches;
using Stele.Domain.Events;
using Stele.Domain.Signing;
using Stele.EventStore;
using Stele.Migrations;
using Stele.Projections;
using Stele.Projections.Daemon;
using Stele.Storage.Local;
using Stele.Tlog;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// The input of `stele bench rebuild`, built untimed in a scratch database: registrations, entries in
/// single-client batches (one Ed25519 signature per batch) with one individually signed entry after
/// each batch, their openings COPYed into stele.contents, all bulk-appended; published live into a
/// directory by the real projection; then erasures appended and published live too.
/// </summary>
internal sealed class RebuildBenchLog : IAsyncDisposable
{
    private const int Clients = 16;
    private const int BatchesPerAppend = 50;

    private readonly string _admin;
    private readonly string _name;
    private readonly BenchClient[] _clients;

    private RebuildBenchLog(string admin, string name, NpgsqlDataSource database, LogKey key)
    {
        _admin = admin;
        _name = name;
        Database = database;
        Key = key;
        Events = SteleServices.OpenEventStore(database);
        _clients = Enumerable.Range(0, Clients).Select(_ => new BenchClient(key.Origin)).ToArray();
        LiveDirectory = Directory.CreateTempSubdirectory("stele-bench-rebuild-live-").FullName;
        Live = new DirectoryObjectStore(LiveDirectory);
    }

    public NpgsqlDataSource Database { get; }
    public PostgresEventStore Events { get; }
    public LogKey Key { get; }
    public string LiveDirectory { get; }
    public DirectoryObjectStore Live { get; }

    /// <summary>Leaves of the live tree: registrations, entries and one notice per erasure.</summary>
    public TreeSize Size { get; private set; }

    public static async Task<RebuildBenchLog> BuildAsync(string adminConnection, int entries, int batchSize, int erasures, int eventsPerCycle, CancellationToken ct)
    {
        var name = "stele_bench_rebuild_" + Guid.NewGuid().ToString("N")[..12];
        var connection = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name }.ConnectionString;
        await DatabaseBootstrap.EnsureDatabaseExistsAsync(connection, ct);
        var database = NpgsqlDataSource.Create(connection);
        var log = new RebuildBenchLog(adminConnection, name, database, LogKey.Generate("bench.stele.local/rebuild"));
        try
        {
            await MigrationRunner.FromEmbeddedScripts().MigrateAsync(database, null, ct);
            await log.AppendAsync(entries, batchSize, ct);
            await log.PublishLiveAsync(eventsPerCycle, ct);
            await log.EraseAsync(entries, erasures, ct);
            await log.PublishLiveAsync(eventsPerCycle, ct);
            return log;
        }
        catch
        {
            await log.DisposeAsync();
            throw;
        }
    }

    private async Task AppendAsync(int entries, int batchSize, CancellationToken ct)
    {
        await Events.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, _clients.Select(c => (object)c.Registration()).ToArray(), ct);
        var sequences = new ulong[Clients];
        var events = new List<object>();
        var rows = new List<ContentRow>();
        var made = 0;
        for (var b = 0; made < entries; b++)
        {
            var client = _clients[b % Clients];
            var size = Math.Min(batchSize, entries - made);
            var items = Enumerable.Range(0, size).Select(_ => client.Content(++sequences[b % Clients])).ToArray();
            var root = BatchTree.Build(items.Select(x => x.Descriptor).ToArray()).Root;
            var rootBytes = new byte[BatchRoot.Length];
            root.CopyTo(rootBytes);
            events.Add(new BatchSubmitted(client.Id.Value, rootBytes, client.Ed.Sign(SigningMessages.Batch(client.Origin, client.Id, root, size)).ToArray(),
                items.Select(x => x.Facts).ToArray(), DateTimeOffset.UnixEpoch));
            rows.AddRange(items.Select(x => x.Row));
            made += size;
            if (made < entries)
            {
                // One individually signed entry after each batch, so the rebuild checks both kinds of signature.
                var (facts, descriptor, row) = client.Content(++sequences[b % Clients]);
                events.Add(new EntrySubmitted(facts, client.Ed.Sign(SigningMessages.Entry(client.Origin, descriptor)).ToArray(), DateTimeOffset.UnixEpoch));
                rows.Add(row);
                made++;
            }
            if (events.Count >= 2 * BatchesPerAppend || made == entries)
            {
                await CopyContentsAsync(rows, ct);
                await Events.BulkAppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, events, ct);
                Console.Error.Write($"\rappended {made:N0} of {entries:N0} entries   ");
                events.Clear();
                rows.Clear();
            }
        }
        Console.Error.WriteLine();
    }

    private async Task CopyContentsAsync(List<ContentRow> rows, CancellationToken ct)
    {
        await using var connection = await Database.OpenConnectionAsync(ct);
        await using var copy = await connection.BeginBinaryImportAsync("COPY stele.contents (commitment, salt, size, content) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(row.Commitment, NpgsqlDbType.Bytea, ct);
            await copy.WriteAsync(row.Salt, NpgsqlDbType.Bytea, ct);
            await copy.WriteAsync((long)row.Content.Length, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(row.Content, NpgsqlDbType.Bytea, ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>Erasures of entries spread over the log (leaves after the registrations), appended in one go.</summary>
    private async Task EraseAsync(int entries, int erasures, CancellationToken ct)
    {
        if (erasures == 0) return;
        var targets = Enumerable.Range(0, erasures).Select(k => (ulong)(Clients + (long)entries * (2 * k + 1) / (2 * erasures))).Distinct();
        var events = targets.Select(leaf => (object)new EntryRedacted(leaf, $"bench erasure of leaf {leaf}", "GDPR art. 17(1)(a)", DateTimeOffset.UnixEpoch)).ToArray();
        await Events.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, events, ct);
    }

    private async Task PublishLiveAsync(int eventsPerCycle, CancellationToken ct)
    {
        var projection = await LogProjection.OpenAsync(Events, Database, Live, Key, ct: ct);
        var published = Task.Run(() => projection.CatchUpAsync(eventsPerCycle, ct), ct);
        while (!published.IsCompleted)
        {
            await Task.WhenAny(published, Task.Delay(1000, ct));
            Console.Error.Write($"\rpublished live: {projection.Size.Value:N0} leaves   ");
        }
        await published;
        Console.Error.WriteLine();
        Size = projection.Size;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        Key.Dispose();
        await Database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseBootstrap.QuoteIdentifier(_name)} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
        Directory.Delete(LiveDirectory, recursive: true);
    }
}
