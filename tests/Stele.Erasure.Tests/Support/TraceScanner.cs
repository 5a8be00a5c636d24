using System.Text;
using Npgsql;
using Stele.Storage;

namespace Stele.Erasure.Tests.Support;

/// <summary>
/// Looks for secrets everywhere Stele keeps anything: every row of every table in every schema of the
/// database (COPY … TO STDOUT, binary and text), every stored object, and log lines. Each secret is
/// searched raw, as lowercase hex and as base64.
/// </summary>
internal sealed class TraceScanner(IReadOnlyList<(string Name, byte[] Bytes)> secrets)
{
    private readonly List<(string Name, byte[] Pattern)> _patterns = secrets.SelectMany(s => new[]
    {
        (s.Name + " (raw)", s.Bytes),
        (s.Name + " (hex)", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(s.Bytes))),
        (s.Name + " (base64)", Encoding.ASCII.GetBytes(Convert.ToBase64String(s.Bytes))),
    }).ToList();

    public List<string> Findings { get; } = [];

    public int TablesScanned { get; private set; }

    public int ObjectsScanned { get; private set; }

    public void Scan(string where, ReadOnlySpan<byte> bytes)
    {
        foreach (var (name, pattern) in _patterns)
            if (bytes.IndexOf(pattern) >= 0) Findings.Add($"{name} in {where}");
    }

    /// <summary>Every relation that holds rows (tables, TOAST tables, materialized views), in every schema.</summary>
    public async Task ScanDatabaseAsync(NpgsqlDataSource database)
    {
        var tables = new List<string>();
        await using (var list = database.CreateCommand(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE c.relkind IN ('r', 't', 'm') ORDER BY 1"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        await using var connection = await database.OpenConnectionAsync();
        foreach (var table in tables)
        {
            try
            {
                using var buffer = new MemoryStream();
                await using (var copy = await connection.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM {table}) TO STDOUT (FORMAT binary)"))
                    await copy.CopyToAsync(buffer);
                Scan($"table {table} (binary)", buffer.ToArray());
            }
            catch (PostgresException ex) when (ex.SqlState is "42883" or "0A000")
            {
                // a column type without binary output: the text pass covers it
            }
            using (var text = await connection.BeginTextExportAsync($"COPY (SELECT * FROM {table}) TO STDOUT"))
                Scan($"table {table} (text)", Encoding.UTF8.GetBytes(await text.ReadToEndAsync()));
            TablesScanned++;
        }
    }

    public async Task ScanStoreAsync(IObjectStore store)
    {
        await foreach (var item in store.ListAsync())
        {
            Scan($"object {item.Key}", await store.GetBytesAsync(item.Key));
            ObjectsScanned++;
        }
    }

    /// <summary>Every file under a directory, hidden ones (metadata sidecars) included.</summary>
    public void ScanDirectory(string path)
    {
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            Scan($"file {Path.GetRelativePath(path, file)}", File.ReadAllBytes(file));
    }

    /// <summary>One file outside the stores, such as the PostgreSQL server log.</summary>
    public void ScanFile(string where, string path) => Scan($"{where} ({path})", File.ReadAllBytes(path));

    public void ScanLines(string where, IEnumerable<string> lines) => Scan(where, Encoding.UTF8.GetBytes(string.Join('\n', lines)));
}
