using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Stele.Cli.Configuration;
using Stele.EventStore;
using Stele.EventStore.Serialization;
using Stele.Migrations;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench eventstore`: events/s of (a) single appends with expected-version checks from N
/// concurrent writers and (b) bulk append, each against (c) a raw binary COPY of the same rows
/// into a bare table, in the same run, on a scratch database that is dropped at the end.
/// </summary>
internal static class BenchEventStoreCommand
{
    public static Command Create()
    {
        var events = new Option<int>("--events") { Description = "Events per bulk append and per raw COPY run.", DefaultValueFactory = _ => 200_000 };
        var singleEvents = new Option<int>("--single-events") { Description = "Events per single-append run (spread over the writers).", DefaultValueFactory = _ => 20_000 };
        var runs = new Option<int>("--runs") { Description = "Measured runs (after one warm-up).", DefaultValueFactory = _ => 5 };
        var writers = new Option<int>("--writers") { Description = "Concurrent writers for single appends.", DefaultValueFactory = _ => 8 };
        var flushes = new Option<int>("--append-concurrency") { Description = "Group-commit transactions in flight at once (EventStoreOptions.AppendConcurrency).", DefaultValueFactory = _ => new EventStoreOptions().AppendConcurrency };
        var command = new Command("eventstore", "Event store appends (single with concurrency checks, bulk COPY) vs a raw binary COPY; events/s medians and ratios.");
        command.Options.Add(events);
        command.Options.Add(singleEvents);
        command.Options.Add(runs);
        command.Options.Add(writers);
        command.Options.Add(flushes);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var config = new BenchConfig(parse.GetValue(events), parse.GetValue(singleEvents), parse.GetValue(runs), parse.GetValue(writers), parse.GetValue(flushes));
            config.Validate();
            await RunAsync(SteleSettings.Resolve(parse).Database, config, ct);
            return 0;
        });
        return command;
    }

    private sealed record BenchConfig(int Events, int SingleEvents, int Runs, int Writers, int AppendConcurrency)
    {
        public void Validate()
        {
            if (Events < 1000) throw new CliException("--events must be at least 1000");
            if (Runs < 1) throw new CliException("--runs must be at least 1");
            if (Writers < 1 || Writers > 64) throw new CliException("--writers must be between 1 and 64");
            if (SingleEvents < Writers) throw new CliException("--single-events must be at least --writers");
            if (AppendConcurrency < 1 || AppendConcurrency > 16) throw new CliException("--append-concurrency must be between 1 and 16");
        }
    }

    /// <summary>What a Stele entry event roughly looks like on the wire: ids, a commitment, a signature.</summary>
    private sealed record BenchEntry(string ClientId, long Sequence, string Commitment, long Size, string MediaType, string PayloadRef, string Signature);

    private static readonly EventTypeRegistry Types = new EventTypeRegistryBuilder().Add<BenchEntry>("bench-entry").Build();

    private static BenchEntry Entry(int i) => new(
        $"client-{i % 1000:D4}", i, Convert.ToHexStringLower(BitConverter.GetBytes((ulong)i * 0x9E3779B97F4A7C15UL)).PadLeft(64, 'a'),
        1000 + i % 4096, "application/octet-stream", $"blob/{i:D10}", new string('S', 86) + "==");

    private static async Task RunAsync(string connectionString, BenchConfig config, CancellationToken ct)
    {
        var scratchName = "stele_bench_" + Guid.NewGuid().ToString("N")[..12];
        var scratch = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Database = scratchName,
            MaxPoolSize = Math.Max(config.Writers * 2, 20),
        }.ConnectionString;

        await DatabaseBootstrap.EnsureDatabaseExistsAsync(scratch, ct);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(scratch);
            await MigrationRunner.FromEmbeddedScripts().MigrateAsync(dataSource, null, ct);
            await PrintServerSettingsAsync(dataSource, ct);
            await using (var bare = dataSource.CreateCommand(
                "CREATE TABLE bench_raw (position bigint, stream_id text, stream_version bigint, event_type text, schema_version integer, payload jsonb)"))
                await bare.ExecuteNonQueryAsync(ct);
            await MeasureAsync(dataSource, config, ct);
        }
        finally
        {
            await DropAsync(connectionString, scratchName);
        }
    }

    private static async Task MeasureAsync(NpgsqlDataSource dataSource, BenchConfig config, CancellationToken ct)
    {
        var store = new PostgresEventStore(dataSource, Types, new EventStoreOptions { AppendConcurrency = config.AppendConcurrency });
        var bulkEvents = Enumerable.Range(0, config.Events).Select(i => (object)Entry(i)).ToArray();
        var rawPayloads = bulkEvents.Select(e => Types.Serialize(e, Types.InfoFor(e))).ToArray();

        var raw = new List<double>();
        var bulk = new List<double>();
        var single = new List<double>();
        for (var run = 0; run <= config.Runs; run++)
        {
            var warmUp = run == 0;
            var label = warmUp ? "warm-up" : $"run {run}/{config.Runs}";
            // Smaller warm-up: it only primes JIT, pools and caches.
            var scale = warmUp ? 10 : 1;

            // Each contender starts with no dirty pages left by the previous one to flush.
            await CheckpointAsync(dataSource, ct);
            var r = await RawCopyAsync(dataSource, rawPayloads.AsMemory(0, config.Events / scale), run, ct);
            await CheckpointAsync(dataSource, ct);
            var b = await BulkAsync(store, bulkEvents.AsMemory(0, config.Events / scale), run, ct);
            await CheckpointAsync(dataSource, ct);
            var before = store.GroupCommitStatistics;
            var s = await SinglesAsync(store, config.SingleEvents / scale, config.Writers, run, ct);
            var grouped = store.GroupCommitStatistics.Since(before);
            Console.Error.WriteLine($"{label}: raw COPY {r,10:N0}/s   bulk {b,10:N0}/s   single x{config.Writers} {s,8:N0}/s " +
                $"({grouped.AppendsPerCommit:F1} appends/commit)");
            if (warmUp) continue;
            raw.Add(r);
            bulk.Add(b);
            single.Add(s);
        }

        var rawMedian = Median(raw);
        Console.WriteLine();
        Console.WriteLine($"event store, {config.Runs} runs, medians (events/s); baseline = raw binary COPY into a bare table, same rows, same run");
        Console.WriteLine($"{"contender",-52} {"median/s",12} {"min/s",12} {"max/s",12} {"vs raw COPY",12}");
        PrintRow($"raw binary COPY, bare table ({config.Events:N0} rows)", raw, rawMedian);
        PrintRow($"bulk append, binary COPY ({config.Events:N0} events)", bulk, rawMedian);
        PrintRow($"single appends, {config.Writers} writers, expected version ({config.SingleEvents:N0})", single, rawMedian);
        Console.WriteLine($"(single appends: group commit with {config.AppendConcurrency} transaction(s) in flight)");
        Console.WriteLine();
        Console.WriteLine($"bars: bulk >= 50% of raw COPY: {(Median(bulk) >= 0.5 * rawMedian ? "met" : "NOT met")} ({Median(bulk) / rawMedian:P0}); " +
            $"single appends >= 5,000/s: {(Median(single) >= 5000 ? "met" : "NOT met")} ({Median(single):N0}/s)");
    }

    private static void PrintRow(string name, List<double> values, double baseline) =>
        Console.WriteLine($"{name,-52} {Median(values),12:N0} {values.Min(),12:N0} {values.Max(),12:N0} {Median(values) / baseline,12:P0}");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The baseline: the same columns and JSON, COPY'd in one transaction into a table with no index, constraint or default.</summary>
    private static async Task<double> RawCopyAsync(NpgsqlDataSource dataSource, ReadOnlyMemory<string> payloads, int run, CancellationToken ct)
    {
        var stream = $"raw-{run}";
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY bench_raw (position, stream_id, stream_version, event_type, schema_version, payload) FROM STDIN (FORMAT BINARY)", ct))
        {
            var basePosition = (long)run * payloads.Length;
            for (var i = 0; i < payloads.Length; i++)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(basePosition + i, NpgsqlDbType.Bigint, ct);
                await importer.WriteAsync(stream, NpgsqlDbType.Text, ct);
                await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint, ct);
                await importer.WriteAsync("bench-entry", NpgsqlDbType.Text, ct);
                await importer.WriteAsync(1, NpgsqlDbType.Integer, ct);
                await importer.WriteAsync(payloads.Span[i], NpgsqlDbType.Jsonb, ct);
            }
            await importer.CompleteAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return payloads.Length / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The event store's bulk path, including JSON serialization of every event.</summary>
    private static async Task<double> BulkAsync(PostgresEventStore store, ReadOnlyMemory<object> events, int run, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var result = await store.BulkAppendAsync($"bulk-{run}", ExpectedVersion.NoStream, events.ToArray(), ct);
        var elapsed = clock.Elapsed;
        if (result.StreamVersion != events.Length) throw new CliException("bulk append self-check failed");
        return events.Length / elapsed.TotalSeconds;
    }

    /// <summary>N writers, each appending one event at a time to its own stream with an exact expected version.</summary>
    private static async Task<double> SinglesAsync(PostgresEventStore store, int total, int writers, int run, CancellationToken ct)
    {
        var perWriter = total / writers;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var stream = $"single-{run}-{w}";
            var expected = ExpectedVersion.NoStream;
            for (var i = 0; i < perWriter; i++)
                expected = (await store.AppendAsync(stream, expected, [Entry(i)], ct)).NextExpectedVersion;
        }, ct)));
        return perWriter * writers / clock.Elapsed.TotalSeconds;
    }

    private static async Task CheckpointAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("CHECKPOINT");
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task PrintServerSettingsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings
            WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes',
                           'shared_buffers', 'commit_delay', 'max_wal_size', 'wal_level')
            """);
        Console.WriteLine($"PostgreSQL: {await command.ExecuteScalarAsync(ct)}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)}");
    }

    private static async Task DropAsync(string connectionString, string database)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(maintenance);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseBootstrap.QuoteIdentifier(database)} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
