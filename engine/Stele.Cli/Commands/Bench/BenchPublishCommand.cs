using System.CommandLine;
using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Stele.Cli.Configuration;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Signing;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Migrations;
using Stele.Projections;
using Stele.Projections.Daemon;
using Stele.Storage.Local;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench publish`: entries/s through the log projection (fold with signature checks, tiles,
/// bundles, payload files, checkpoint, read-model commit) into a directory, for individually signed
/// entries and for single-client batches, against single-threaded Ed25519 verification of the same
/// number of signatures measured in the same run. Events are signed and stored before the clock starts.
/// </summary>
internal static class BenchPublishCommand
{
    private const int Clients = 16;

    public static Command Create()
    {
        var entries = new Option<int>("--entries") { Description = "Entries per contender and run.", DefaultValueFactory = _ => 20_000 };
        var batch = new Option<int>("--batch") { Description = "Entries per batch for the batched contender.", DefaultValueFactory = _ => 1000 };
        var runs = new Option<int>("--runs") { Description = "Measured runs.", DefaultValueFactory = _ => 3 };
        var command = new Command("publish", "Log projection throughput (fold + publish + commit) for single and batched entries vs Ed25519 verification; medians and ratios.");
        command.Options.Add(entries);
        command.Options.Add(batch);
        command.Options.Add(runs);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var n = parse.GetValue(entries);
            var b = parse.GetValue(batch);
            var r = parse.GetValue(runs);
            if (n < 1000) throw new CliException("--entries must be at least 1000");
            if (b < 1 || b > BatchTree.MaxEntries) throw new CliException($"--batch must be 1 to {BatchTree.MaxEntries}");
            if (r < 1) throw new CliException("--runs must be at least 1");
            await RunAsync(SteleSettings.Resolve(parse).Database, n, b, r, ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(string connectionString, int entries, int batchSize, int runs, CancellationToken ct)
    {
        using var key = LogKey.Generate("bench.stele.local/publish");
        var clients = Enumerable.Range(0, Clients).Select(_ => new BenchClient(key.Origin)).ToArray();
        var verify = new List<double>();
        var single = new List<double>();
        var batched = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var (singles, singleRows) = SingleEntries(clients, entries, run);
            var (batches, batchRows) = Batches(clients, entries, batchSize, run);
            verify.Add(VerifyFloor(clients, singles));
            single.Add(await MeasureAsync(connectionString, key, clients, singles, singleRows, entries, ct));
            batched.Add(await MeasureAsync(connectionString, key, clients, batches, batchRows, entries, ct));
            Console.Error.WriteLine($"run {run}/{runs}: Ed25519 verify x1 {verify[^1],10:N0}/s   single entries {single[^1],10:N0}/s   batched ({batchSize}) {batched[^1],10:N0}/s");
        }
        var baseline = Median(verify);
        Console.WriteLine();
        Console.WriteLine($"log projection into a directory, {runs} runs, {entries:N0} entries each, medians (entries/s); baseline = single-threaded Ed25519 verify of as many signatures, same run");
        Console.WriteLine($"{"contender",-48} {"median/s",12} {"min/s",12} {"max/s",12} {"vs verify",10}");
        Row("Ed25519 verify, one thread (baseline)", verify, baseline);
        Row("individually signed entries, fold+publish", single, baseline);
        Row($"batched entries ({batchSize}/batch), fold+publish", batched, baseline);
        foreach (var c in clients) c.Dispose();
    }

    private static void Row(string name, List<double> values, double baseline) =>
        Console.WriteLine($"{name,-48} {Median(values),12:N0} {values.Min(),12:N0} {values.Max(),12:N0} {Median(values) / baseline,10:P0}");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static (List<object> Events, List<ContentRow> Rows) SingleEntries(BenchClient[] clients, int entries, int run)
    {
        var events = new List<object>(entries);
        var rows = new List<ContentRow>(entries);
        for (var i = 0; i < entries; i++)
        {
            var client = clients[i % Clients];
            var (facts, descriptor, row) = client.Content((ulong)(run * 10_000_000 + i / Clients + 1));
            rows.Add(row);
            events.Add(new EntrySubmitted(facts, client.Ed.Sign(SigningMessages.Entry(client.Origin, descriptor)).ToArray(), DateTimeOffset.UnixEpoch));
        }
        return (events, rows);
    }

    private static (List<object> Events, List<ContentRow> Rows) Batches(BenchClient[] clients, int entries, int batchSize, int run)
    {
        var events = new List<object>();
        var rows = new List<ContentRow>(entries);
        var sequence = (ulong)(run * 10_000_000 + 5_000_000);
        for (var done = 0; done < entries; done += batchSize)
        {
            var client = clients[(done / batchSize) % Clients];
            var items = Enumerable.Range(0, Math.Min(batchSize, entries - done)).Select(_ => client.Content(++sequence)).ToArray();
            rows.AddRange(items.Select(x => x.Row));
            var root = BatchTree.Build(items.Select(x => x.Descriptor).ToArray()).Root;
            var rootBytes = new byte[BatchRoot.Length];
            root.CopyTo(rootBytes);
            events.Add(new BatchSubmitted(client.Id.Value, rootBytes, client.Ed.Sign(SigningMessages.Batch(client.Origin, client.Id, root, items.Length)).ToArray(),
                items.Select(x => x.Facts).ToArray(), DateTimeOffset.UnixEpoch));
        }
        return (events, rows);
    }

    private static double VerifyFloor(BenchClient[] clients, List<object> singles)
    {
        var clock = Stopwatch.StartNew();
        var ok = 0;
        foreach (EntrySubmitted e in singles)
        {
            var client = clients.First(c => c.Id.Value == e.Entry.Client);
            var descriptor = new EntryDescriptor(client.Id, e.Entry.Sequence, Commitment.FromBytes(e.Entry.Commitment), e.Entry.Size, new MediaType(e.Entry.MediaType));
            if (client.Ed.PublicKey.Verify(SigningMessages.Entry(client.Origin, descriptor), Ed25519Signature.FromBytes(e.Signature))) ok++;
        }
        if (ok != singles.Count) throw new InvalidOperationException("benchmark signatures do not verify");
        return singles.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A scratch database with the registrations, the events and their openings; times the projection only.</summary>
    private static async Task<double> MeasureAsync(string connectionString, LogKey key, BenchClient[] clients, List<object> events, List<ContentRow> rows, int entries, CancellationToken ct)
    {
        var name = "stele_bench_pub_" + Guid.NewGuid().ToString("N")[..12];
        var scratch = new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
        var directory = Directory.CreateTempSubdirectory("stele-bench-publish-");
        await DatabaseBootstrap.EnsureDatabaseExistsAsync(scratch, ct);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(scratch);
            await MigrationRunner.FromEmbeddedScripts().MigrateAsync(dataSource, null, ct);
            var store = new PostgresEventStore(dataSource, new EventTypeRegistryBuilder().AddLogEvents().Build());
            await store.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, clients.Select(c => (object)c.Registration()).ToArray(), ct);
            await using (var insert = dataSource.CreateCommand(
                "INSERT INTO stele.contents (commitment, salt, size, content) SELECT c, s, length(b), b FROM unnest($1::bytea[], $2::bytea[], $3::bytea[]) AS u(c, s, b)"))
            {
                insert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = rows.Select(r => r.Commitment).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                insert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = rows.Select(r => r.Salt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                insert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = rows.Select(r => r.Content).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                await insert.ExecuteNonQueryAsync(ct);
            }
            await store.BulkAppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, events, ct);

            var clock = Stopwatch.StartNew();
            var projection = await LogProjection.OpenAsync(store, dataSource, new DirectoryObjectStore(directory.FullName), key, ct: ct);
            await projection.CatchUpAsync(20_000, ct);
            var elapsed = clock.Elapsed;
            if (projection.Size.Value != (ulong)(entries + Clients))
                throw new InvalidOperationException($"the benchmark log has {projection.Size} leaves, expected {entries + Clients}");
            return entries / elapsed.TotalSeconds;
        }
        finally
        {
            directory.Delete(recursive: true);
            var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(maintenance);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseBootstrap.QuoteIdentifier(name)} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
