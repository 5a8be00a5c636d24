using Stele.Testing.Postgres;

namespace Stele.Migrations.Tests;

public sealed class MigrationRunnerTests
{
    private static MigrationRunner Runner(params MigrationScript[] scripts) => new(scripts);

    private static MigrationScript Script(int version, string name, string sql) => new(version, name, sql);

    [Fact]
    public async Task Fresh_database_gets_every_embedded_script_and_a_second_run_applies_none()
    {
        await using var db = await ScratchDatabase.CreateAsync();
        var runner = MigrationRunner.FromEmbeddedScripts();
        var messages = new List<string>();

        var first = await runner.MigrateAsync(db.DataSource, new SyncProgress(messages));

        Assert.Equal(runner.Scripts.Select(s => s.Version), first.Applied.Select(s => s.Version));
        Assert.Empty(first.AlreadyApplied);
        Assert.Contains(messages, m => m.Contains("0001_event_store.sql", StringComparison.Ordinal));
        Assert.True(await ScalarAsync<bool>(db, "SELECT to_regclass('stele.events') IS NOT NULL"));

        var history = await MigrationRunner.ReadHistoryAsync(db.DataSource);
        Assert.Equal(runner.Scripts.Select(s => (s.Version, s.Checksum)), history.Select(h => (h.Version, h.Checksum)));

        var second = await runner.MigrateAsync(db.DataSource);
        Assert.Empty(second.Applied);
        Assert.Equal(first.Applied.Select(s => s.Version), second.AlreadyApplied.Select(s => s.Version));
        Assert.Equal(first.SchemaVersion, second.SchemaVersion);
    }

    [Fact]
    public async Task New_scripts_are_applied_on_top_of_old_ones()
    {
        await using var db = await ScratchDatabase.CreateAsync();
        var v1 = Script(1, "first", "CREATE TABLE t1 (x int);");
        await Runner(v1).MigrateAsync(db.DataSource);

        var result = await Runner(v1, Script(2, "second", "CREATE TABLE t2 (x int);")).MigrateAsync(db.DataSource);

        Assert.Equal([2], result.Applied.Select(s => s.Version));
        Assert.Equal([1], result.AlreadyApplied.Select(s => s.Version));
        Assert.True(await ScalarAsync<bool>(db, "SELECT to_regclass('t2') IS NOT NULL"));
    }

    [Fact]
    public async Task An_edited_applied_script_is_refused_with_its_name()
    {
        await using var db = await ScratchDatabase.CreateAsync();
        await Runner(Script(1, "create_things", "CREATE TABLE things (x int);")).MigrateAsync(db.DataSource);

        var edited = Runner(Script(1, "create_things", "CREATE TABLE things (x bigint);"));
        var ex = await Assert.ThrowsAsync<MigrationException>(() => edited.MigrateAsync(db.DataSource));

        Assert.Contains("0001_create_things.sql", ex.Message, StringComparison.Ordinal);
        Assert.Contains("edited", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Line_ending_changes_are_not_edits()
    {
        var lf = Script(1, "a", "CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n");
        var crlf = Script(1, "a", "CREATE TABLE a (x int);\r\nCREATE TABLE b (y int);\r\n");
        Assert.Equal(lf.Checksum, crlf.Checksum);
        Assert.NotEqual(lf.Checksum, Script(1, "a", "CREATE TABLE a (x int);\nCREATE TABLE b (z int);\n").Checksum);

        await using var db = await ScratchDatabase.CreateAsync();
        await Runner(lf).MigrateAsync(db.DataSource);
        var again = await Runner(crlf).MigrateAsync(db.DataSource);
        Assert.Empty(again.Applied);
    }

    [Fact]
    public async Task A_database_newer_than_the_binary_is_refused()
    {
        await using var db = await ScratchDatabase.CreateAsync();
        var v1 = Script(1, "first", "CREATE TABLE t1 (x int);");
        await Runner(v1, Script(2, "from_the_future", "CREATE TABLE t2 (x int);")).MigrateAsync(db.DataSource);

        var ex = await Assert.ThrowsAsync<MigrationException>(() => Runner(v1).MigrateAsync(db.DataSource));

        Assert.Contains("0002_from_the_future.sql", ex.Message, StringComparison.Ordinal);
        Assert.Contains("newer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_script_rolls_back_everything_in_the_run_and_names_the_script()
    {
        await using var db = await ScratchDatabase.CreateAsync();
        var good = Script(1, "good", "CREATE TABLE good (x int); INSERT INTO good VALUES (1);");
        var bad = Script(2, "bad", "CREATE TABLE half_done (x int); SELECT no_such_function();");

        var ex = await Assert.ThrowsAsync<MigrationException>(() => Runner(good, bad).MigrateAsync(db.DataSource));

        Assert.Contains("0002_bad.sql", ex.Message, StringComparison.Ordinal);
        Assert.False(await ScalarAsync<bool>(db, "SELECT to_regclass('good') IS NOT NULL"));
        Assert.False(await ScalarAsync<bool>(db, "SELECT to_regclass('half_done') IS NOT NULL"));
        Assert.Empty(await MigrationRunner.ReadHistoryAsync(db.DataSource));

        // The lock was released: fixing the script lets the next run through.
        var fixedRun = await Runner(good, Script(2, "bad", "CREATE TABLE half_done (x int);")).MigrateAsync(db.DataSource);
        Assert.Equal([1, 2], fixedRun.Applied.Select(s => s.Version));
    }

    [Fact]
    public async Task Concurrent_runners_apply_each_script_exactly_once()
    {
        await using var db = await ScratchDatabase.CreateAsync();
        // Not idempotent on purpose: a double apply would fail on CREATE TABLE or add a second row.
        var scripts = new[]
        {
            Script(1, "counter", "CREATE TABLE applied (n int); INSERT INTO applied VALUES (1); SELECT pg_sleep(0.2);"),
            Script(2, "more", "INSERT INTO applied VALUES (2);"),
        };
        var sources = Enumerable.Range(0, 6).Select(_ => db.CreateDataSource()).ToList();
        try
        {
            var results = await Task.WhenAll(sources.Select(s => Task.Run(() => Runner(scripts).MigrateAsync(s))));

            Assert.Single(results, r => r.Applied.Count == 2);
            Assert.All(results.Where(r => r.Applied.Count == 0), r => Assert.Equal(2, r.AlreadyApplied.Count));
            Assert.Equal(2L, await ScalarAsync<long>(db, "SELECT count(*) FROM applied"));
        }
        finally
        {
            foreach (var s in sources) await s.DisposeAsync();
        }
    }

    [Fact]
    public void Embedded_scripts_are_found_and_well_formed()
    {
        var scripts = MigrationRunner.FromEmbeddedScripts().Scripts;
        Assert.NotEmpty(scripts);
        Assert.Equal("0001_event_store.sql", scripts[0].FileName);
        Assert.Equal(scripts.Select(s => s.Version).Distinct().Order(), scripts.Select(s => s.Version));
        Assert.All(scripts, s => Assert.Equal(64, s.Checksum.Length));
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0001-dash.sql")]
    [InlineData("0001_Upper.sql")]
    [InlineData("0001_name.txt")]
    public void Badly_named_files_are_rejected(string fileName)
    {
        var ex = Assert.Throws<MigrationException>(() => MigrationScript.FromFile(fileName, "SELECT 1"));
        Assert.Contains(fileName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_versions_are_rejected()
    {
        var ex = Assert.Throws<MigrationException>(() => Runner(Script(3, "a", "SELECT 1"), Script(3, "b", "SELECT 2")));
        Assert.Contains("0003_a.sql", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0003_b.sql", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<T> ScalarAsync<T>(ScratchDatabase db, string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Progress&lt;T&gt; posts asynchronously; tests need the messages at once.</summary>
    private sealed class SyncProgress(List<string> sink) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (sink) sink.Add(value);
        }
    }
}
