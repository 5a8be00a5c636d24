using Npgsql;
using NpgsqlTypes;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.EventStore;

namespace Stele.Api;

/// <summary>
/// Writes a group of submissions in ONE transaction on a connection kept for the next group.
/// First, reads only: the clients' advisory locks, their last sequences, the commitments already
/// stored or erased. Each submission is judged on its own from those; only the accepted ones are then
/// written (events first, as the event store requires, then sequences and openings), so a refused
/// one leaves no event and no contents row. The group's submissions must name different clients
/// and different commitments (<see cref="SubmissionWriter"/> groups them so).
/// </summary>
internal sealed class SubmissionLane(NpgsqlConnection connection, PostgresEventStore events) : IAsyncDisposable
{
    // Advisory lock class for "one submission transaction per client at a time" (streams use 1937010801).
    private const int ClientLockClass = 1937010802;

    public static async Task<SubmissionLane> OpenAsync(NpgsqlDataSource database, PostgresEventStore events) =>
        new(await database.OpenConnectionAsync().ConfigureAwait(false), events);

    /// <summary>Per submission: where its event landed, or the error refusing it. Throws when the group as a whole failed.</summary>
    public async Task<(AppendResult? Appended, ApiError? Refused)[]> WriteAsync(IReadOnlyList<PendingSubmission> group)
    {
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var (lastSequences, stored) = await LockAndReadAsync(group, transaction).ConfigureAwait(false);

        var outcomes = new (AppendResult?, ApiError?)[group.Count];
        var accepted = new List<int>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var submission = group[i];
            var commitments = submission.Openings.Select(o => o.Commitment).ToList();
            if (commitments.Any(stored.Contains) || commitments.Distinct().Count() != commitments.Count)
                outcomes[i] = (null, PendingSubmission.CommitmentReused());
            else if (lastSequences.TryGetValue(submission.Client.Value, out var last) && last >= submission.FirstSequence)
                outcomes[i] = (null, submission.Replayed());
            else
                accepted.Add(i);
        }
        if (accepted.Count == 0) return outcomes; // nothing written: the transaction rolls back empty

        var appends = accepted.Select(i => new StreamAppend(LogEventTypes.ClientStream(group[i].Client), ExpectedVersion.Any, [group[i].Event])).ToList();
        var appended = await events.AppendManyInTransactionAsync(connection, transaction, appends).ConfigureAwait(false);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(AdvanceSequences(accepted.Select(i => group[i]).ToList()));
            var rows = accepted.Where(i => !group[i].Packed).SelectMany(i => group[i].Openings).ToList();
            if (rows.Count > 0) batch.BatchCommands.Add(InsertOpenings(rows));
            var packed = Enumerable.Range(0, accepted.Count).Where(k => group[accepted[k]].Packed).Select(k => (appended[k].FirstPosition, group[accepted[k]].Openings)).ToList();
            if (packed.Count > 0) batch.BatchCommands.Add(StorePacked(packed));
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        await transaction.CommitAsync().ConfigureAwait(false);
        for (var k = 0; k < accepted.Count; k++) outcomes[accepted[k]] = (appended[k], null);
        events.AnnounceCommitted(appended.MaxBy(a => a.LastPosition)!);
        return outcomes;
    }

    /// <summary>One round trip: lock the clients (in key order, so groups cannot deadlock), then read under the locks.</summary>
    private async Task<(Dictionary<ulong, ulong> LastSequences, HashSet<Commitment> Stored)> LockAndReadAsync(
        IReadOnlyList<PendingSubmission> group, NpgsqlTransaction transaction)
    {
        var clients = group.Select(s => unchecked((long)s.Client.Value)).ToArray();
        var lockKeys = clients.Select(c => unchecked((int)(c ^ (c >> 32)))).Distinct().Order().ToArray();
        var commitments = group.SelectMany(s => s.Openings).Select(o => Bytes(o.Commitment)).ToArray();

        await using var batch = new NpgsqlBatch(connection, transaction);
        var locks = new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({ClientLockClass}, k) FROM unnest($1) AS k");
        locks.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = lockKeys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        // Separate statements take separate snapshots: these two read after every lock is held.
        var sequences = new NpgsqlBatchCommand("SELECT client_id, last_sequence FROM stele.client_sequences WHERE client_id = ANY ($1)");
        sequences.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = clients, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        // An erased commitment may not come back either (migration 0007): it counts as reused.
        var existing = new NpgsqlBatchCommand(
            "SELECT commitment FROM stele.contents WHERE commitment = ANY ($1) UNION ALL SELECT commitment FROM stele.erasures WHERE commitment = ANY ($1)");
        existing.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = commitments, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        batch.BatchCommands.Add(locks);
        batch.BatchCommands.Add(sequences);
        batch.BatchCommands.Add(existing);

        var lastSequences = new Dictionary<ulong, ulong>();
        var stored = new HashSet<Commitment>();
        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false)) { }
        await reader.NextResultAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
            lastSequences[unchecked((ulong)reader.GetInt64(0))] = unchecked((ulong)reader.GetInt64(1));
        await reader.NextResultAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
            stored.Add(Commitment.FromBytes(reader.GetFieldValue<byte[]>(0)));
        return (lastSequences, stored);
    }

    /// <summary>Under the client's lock and after the check above, the new last sequence is simply set.</summary>
    private static NpgsqlBatchCommand AdvanceSequences(IReadOnlyList<PendingSubmission> accepted)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO stele.client_sequences AS s (client_id, last_sequence) SELECT * FROM unnest($1, $2) " +
            "ON CONFLICT (client_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. accepted.Select(s => unchecked((long)s.Client.Value))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. accepted.Select(s => unchecked((long)s.LastSequence))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        return command;
    }

    /// <summary>
    /// One stele.packed_openings row per batch, keyed by its event's position (migration 0008, as the
    /// broker writes them): one row and one index entry instead of one per entry. The function refuses
    /// an erased commitment (unique_violation), like the trigger on stele.contents.
    /// </summary>
    private static NpgsqlBatchCommand StorePacked(IReadOnlyList<(long Position, IReadOnlyList<Opening> Openings)> batches)
    {
        var positions = new long[batches.Count];
        var commitments = new byte[batches.Count][];
        var openings = new byte[batches.Count][];
        Span<byte> commitment = stackalloc byte[Commitment.Length];
        for (var b = 0; b < batches.Count; b++)
        {
            var entries = batches[b].Openings;
            positions[b] = batches[b].Position;
            commitments[b] = new byte[entries.Count * Commitment.Length];
            openings[b] = new byte[PackedOpenings.OpeningsLength(entries.Count, entries.Sum(o => (long)o.Size))];
            var writer = new PackedOpenings.Writer(commitments[b], openings[b]);
            foreach (var opening in entries)
            {
                opening.Commitment.CopyTo(commitment);
                writer.Add(commitment, opening.Salt.AsSpan(), opening.Content ?? throw new InvalidOperationException("a packed opening holds its content inline"));
            }
        }
        var command = new NpgsqlBatchCommand("SELECT stele.store_packed_openings(p, c, o) FROM unnest($1::bigint[], $2::bytea[], $3::bytea[]) AS t(p, c, o)");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = positions });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = commitments, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = openings, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        return command;
    }

    private static NpgsqlBatchCommand InsertOpenings(IReadOnlyList<Opening> openings)
    {
        var count = openings.Count;
        var commitments = new byte[count][];
        var salts = new byte[count][];
        var sizes = new long[count];
        var contents = new byte[]?[count];
        var blobKeys = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var opening = openings[i];
            commitments[i] = Bytes(opening.Commitment);
            salts[i] = opening.Salt.AsSpan().ToArray();
            sizes[i] = checked((long)opening.Size);
            contents[i] = opening.Content;
            blobKeys[i] = opening.BlobKey;
        }
        var command = new NpgsqlBatchCommand(
            "INSERT INTO stele.contents (commitment, salt, size, content, blob_key) SELECT * FROM unnest($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = commitments, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = salts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = sizes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = contents, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = blobKeys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    private static byte[] Bytes(Commitment commitment)
    {
        var bytes = new byte[Commitment.Length];
        commitment.CopyTo(bytes);
        return bytes;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
