using Npgsql;
using NpgsqlTypes;
using Stele.Domain.Content;
using Stele.Projections.Daemon;
using Stele.Projections.Fold;
using Stele.Projections.ReadModels;
using Stele.Storage;

namespace Stele.Projections.Rebuild;

/// <summary>
/// The openings a rebuild needs, read from stele.contents by one binary COPY in the table's physical
/// order instead of one index probe per commitment (an index probe costs PostgreSQL about ten times
/// what a streamed row does). Rows are written when their entries are submitted, so that order follows
/// the stream's, and the rows streamed ahead of the page that needs them wait in memory, at most
/// a bound (<see cref="DefaultMaxAhead"/>) of them. A commitment the stream does not reach within that bound (an erased
/// entry's, a row stored out of order, openings stored as blobs) is loaded the usual way, through
/// <see cref="LogReadModels.LoadOpeningsAsync(IReadOnlyCollection{Commitment}, IObjectStore, CancellationToken)"/>:
/// the result is the same table of openings, only cheaper to get. Used by one reader task at a time.
/// </summary>
internal sealed class ContentStream : IAsyncDisposable
{
    /// <summary>Rows read ahead and not yet claimed, at most, by default (about 64 MiB of 100-byte contents).</summary>
    public const int DefaultMaxAhead = 262_144;

    private readonly NpgsqlDataSource _database;
    private readonly LogReadModels _readModels;
    private readonly IObjectStore _blobStore;
    private readonly int _maxAhead;
    // A null opening: the row has no inline content (a blob); the read model loads it, blob included.
    private readonly Dictionary<Commitment, Opening?> _ahead = [];
    private NpgsqlConnection? _connection;
    private NpgsqlBinaryExporter? _rows;
    private bool _ended;

    public ContentStream(NpgsqlDataSource database, LogReadModels readModels, IObjectStore blobStore, int maxAhead = DefaultMaxAhead)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxAhead);
        _maxAhead = maxAhead;
        _database = database;
        _readModels = readModels;
        _blobStore = blobStore;
    }

    /// <summary>Rows that came through the stream, and commitments loaded by probes instead (for the bench and tests).</summary>
    public long Streamed { get; private set; }

    public long Probed { get; private set; }

    /// <summary>The openings the entries of <paramref name="inputs"/> need (packed batch rows first, as the live cycle does).</summary>
    public async Task<OpeningTable> LoadAsync(List<FoldInput> inputs, CancellationToken ct)
    {
        var table = new OpeningTable();
        var wanted = CycleFolder.EntryCommitments(inputs);
        if (wanted.Count == 0) return table;
        var packed = CycleFolder.PackedBatchPositions(inputs);
        if (packed.Length > 0)
        {
            await using var connection = await _database.OpenConnectionAsync(ct).ConfigureAwait(false);
            await PackedOpeningRows.AddToAsync(connection, packed, table, ct).ConfigureAwait(false);
            wanted.RemoveWhere(c => table.TryGet(c, out _));
        }
        var probe = new List<Commitment>();
        var claimed = wanted.RemoveWhere(commitment => Claim(commitment, table, probe));
        // A full read-ahead that this page took nothing from is behind the pages (rows probed already, or of
        // entries no page names): drop it, so the stream can go on; anything dropped that is needed is probed.
        if (claimed == 0 && _ahead.Count >= _maxAhead) _ahead.Clear();
        await StreamUntilFoundAsync(wanted, table, probe, ct).ConfigureAwait(false);
        probe.AddRange(wanted); // not reached by the stream
        if (probe.Count > 0)
        {
            Probed += probe.Count;
            foreach (var (commitment, opening) in await _readModels.LoadOpeningsAsync(probe, _blobStore, ct).ConfigureAwait(false))
                table.Add(commitment, opening);
        }
        return table;
    }

    /// <summary>Takes a row read ahead earlier, if there is one for <paramref name="commitment"/>.</summary>
    private bool Claim(Commitment commitment, OpeningTable table, List<Commitment> probe)
    {
        if (!_ahead.Remove(commitment, out var opening)) return false;
        if (opening is null) probe.Add(commitment);
        else table.Add(commitment, opening);
        return true;
    }

    /// <summary>Reads rows until every commitment of <paramref name="wanted"/> is found (and removed from it), the table ends, or enough wait ahead.</summary>
    private async Task StreamUntilFoundAsync(HashSet<Commitment> wanted, OpeningTable table, List<Commitment> probe, CancellationToken ct)
    {
        while (wanted.Count > 0 && !_ended && _ahead.Count < _maxAhead)
        {
            _rows ??= await OpenAsync(ct).ConfigureAwait(false);
            if (await _rows.StartRowAsync(ct).ConfigureAwait(false) < 0)
            {
                _ended = true;
                break;
            }
            Streamed++;
            var commitment = Commitment.FromBytes(await _rows.ReadAsync<byte[]>(NpgsqlDbType.Bytea, ct).ConfigureAwait(false));
            var salt = Salt.FromBytes(await _rows.ReadAsync<byte[]>(NpgsqlDbType.Bytea, ct).ConfigureAwait(false));
            var size = (ulong)await _rows.ReadAsync<long>(NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            Opening? opening = null;
            if (_rows.IsNull) await _rows.SkipAsync(ct).ConfigureAwait(false);
            else opening = new Opening(salt, size, await _rows.ReadAsync<byte[]>(NpgsqlDbType.Bytea, ct).ConfigureAwait(false), null);
            if (!wanted.Remove(commitment)) _ahead[commitment] = opening;
            else if (opening is null) probe.Add(commitment);
            else table.Add(commitment, opening);
        }
    }

    private async Task<NpgsqlBinaryExporter> OpenAsync(CancellationToken ct)
    {
        _connection = await _database.OpenConnectionAsync(ct).ConfigureAwait(false);
        // A large table's sequential scan may otherwise start where another scan of it stopped (a rebuild
        // that ended before the table did, for instance) and wrap around: order would be lost from the start.
        await using (var noSync = new NpgsqlCommand("SET synchronize_seqscans = off", _connection))
            await noSync.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return await _connection.BeginBinaryExportAsync(
            "COPY (SELECT commitment, salt, size, content FROM stele.contents) TO STDOUT (FORMAT BINARY)", ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_rows is not null)
        {
            try
            {
                if (!_ended) await _rows.CancelAsync().ConfigureAwait(false); // the rest of the table is not needed
                await _rows.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
            {
                // a cancelled COPY may end its connection: it is disposed below and not reused
            }
        }
        if (_connection is not null) await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
