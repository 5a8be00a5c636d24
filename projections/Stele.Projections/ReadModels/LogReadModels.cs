using Npgsql;
using NpgsqlTypes;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.EventStore;
using Stele.Projections.Fold;
using Stele.Tlog;

namespace Stele.Projections.ReadModels;

/// <summary>Where the fold resumes from, as committed with the projection checkpoint.</summary>
public sealed record FoldResume(FoldState State, TreeSize Size, Hash Root, long Position);

/// <summary>
/// The fold's tables (migrations 0002, 0003): stele.clients, entry_status, rejections, log_state,
/// and the openings in stele.contents. Ids and sequences are u64 stored in bigint by reinterpreting bits.
/// </summary>
public sealed class LogReadModels(NpgsqlDataSource database, string logName, string projectionName)
{
    /// <summary>Reads the fold state (clients, tree size and root) and the projection checkpoint in one snapshot.</summary>
    public async Task<FoldResume> LoadAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        long position;
        await using (var command = new NpgsqlCommand("SELECT coalesce(max(position), 0) FROM stele.projection_checkpoints WHERE name = $1", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projectionName });
            position = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        var size = TreeSize.Empty;
        var root = Rfc6962.EmptyTreeHash;
        await using (var command = new NpgsqlCommand("SELECT tree_size, root FROM stele.log_state WHERE log_name = $1", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = logName });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                size = new TreeSize((ulong)reader.GetInt64(0));
                if (!reader.IsDBNull(1)) root = Hash.FromBytes(reader.GetFieldValue<byte[]>(1));
            }
        }
        var state = new FoldState(size.Value);
        await using (var command = new NpgsqlCommand(
            "SELECT client_id, ed25519_public_key, bls_public_key, bls_proof_of_possession, leaf_index, last_sequence FROM stele.clients WHERE bls_proof_of_possession IS NOT NULL",
            connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                state.AddClient(new KnownClient(
                    new ClientId(unchecked((ulong)reader.GetInt64(0))),
                    Ed25519PublicKey.FromBytes(reader.GetFieldValue<byte[]>(1)),
                    BlsPublicKey.FromBytes(reader.GetFieldValue<byte[]>(2)),
                    BlsProofOfPossession.FromBytes(reader.GetFieldValue<byte[]>(3)),
                    (ulong)reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : unchecked((ulong)reader.GetInt64(5))));
            }
        }
        await using (var command = new NpgsqlCommand("SELECT target_leaf, notice_leaf, commitment FROM stele.erasures", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                state.AddErasure((ulong)reader.GetInt64(0), (ulong)reader.GetInt64(1), Commitment.FromBytes(reader.GetFieldValue<byte[]>(2)));
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return new FoldResume(state, size, root, position);
    }

    /// <summary>The openings of the given commitments from stele.contents (API entries, redaction targets).</summary>
    public Task<OpeningTable> LoadOpeningsAsync(IReadOnlyCollection<Commitment> commitments, Stele.Storage.IObjectStore store, CancellationToken ct = default) =>
        LoadOpeningsAsync(commitments, [], store, ct);

    /// <summary>
    /// The openings of the given commitments: first the packed rows of the broker batches at
    /// <paramref name="packedBatches"/> (migration 0008), then stele.contents for the rest (API entries,
    /// and broker batches written before 0008); small contents stored as blobs are read in (they go inline).
    /// </summary>
    public async Task<OpeningTable> LoadOpeningsAsync(IReadOnlyCollection<Commitment> commitments, IReadOnlyCollection<long> packedBatches,
        Stele.Storage.IObjectStore store, CancellationToken ct = default)
    {
        var table = new OpeningTable();
        if (commitments.Count == 0) return table;
        if (packedBatches.Count > 0)
        {
            await using var connection = await database.OpenConnectionAsync(ct).ConfigureAwait(false);
            await PackedOpeningRows.AddToAsync(connection, packedBatches, table, ct).ConfigureAwait(false);
        }
        var keys = new List<byte[]>(commitments.Count);
        foreach (var c in commitments)
        {
            if (table.TryGet(c, out _)) continue;
            var key = new byte[Commitment.Length];
            c.CopyTo(key);
            keys.Add(key);
        }
        if (keys.Count == 0) return table;
        var smallBlobs = new List<(Commitment Commitment, Salt Salt, ulong Size, string Key)>();
        await using (var connection = await database.OpenConnectionAsync(ct).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand("SELECT commitment, salt, size, content, blob_key FROM stele.contents WHERE commitment = ANY($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. keys], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var commitment = Commitment.FromBytes(reader.GetFieldValue<byte[]>(0));
                var salt = Salt.FromBytes(reader.GetFieldValue<byte[]>(1));
                var size = (ulong)reader.GetInt64(2);
                var content = reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3);
                var blobKey = reader.IsDBNull(4) ? null : reader.GetString(4);
                if (content is null && blobKey is not null && size <= PayloadSlot.InlineLimit) smallBlobs.Add((commitment, salt, size, blobKey));
                // A null byte[] would convert to an EMPTY ReadOnlyMemory that HasValue: keep "no content" null.
                else table.Add(commitment, new Opening(salt, size, content is null ? (ReadOnlyMemory<byte>?)null : content, blobKey));
            }
        }
        foreach (var (commitment, salt, size, key) in smallBlobs)
        {
            var content = await Stele.Storage.ObjectStoreExtensions.GetBytesAsync(store, key, ct).ConfigureAwait(false);
            table.Add(commitment, new Opening(salt, size, content, key));
        }
        return table;
    }

    /// <summary>
    /// Commits the read models of one cycle and advances the projection checkpoint from
    /// <paramref name="fromPosition"/> (compare-and-set) in one transaction.
    /// </summary>
    public async Task CommitAsync(PostgresEventStore events, long fromPosition, FoldResult result, TreeSize size, Hash root, TreeSize publishedSize, CancellationToken ct = default)
    {
        await using var tx = await events.BeginProjectionAsync(ct).ConfigureAwait(false);
        await InsertClientsAsync(tx, result, ct).ConfigureAwait(false);
        await UpdateSequencesAsync(tx, result, ct).ConfigureAwait(false);
        await UpsertStatusesAsync(tx, result, ct).ConfigureAwait(false);
        await InsertRejectionsAsync(tx, result, ct).ConfigureAwait(false);
        await RecordErasuresAsync(tx, result, ct).ConfigureAwait(false);
        await using (var command = tx.CreateCommand(
            "INSERT INTO stele.log_state (log_name, tree_size, published_size, root, updated_at) VALUES ($1, $2, $3, $4, now()) " +
            "ON CONFLICT (log_name) DO UPDATE SET tree_size = excluded.tree_size, published_size = excluded.published_size, root = excluded.root, updated_at = now()"))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = logName });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checked((long)size.Value) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checked((long)publishedSize.Value) });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = root.Bytes.ToArray() });
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        if (result.LastPosition > fromPosition)
            await tx.AdvanceCheckpointAsync(projectionName, fromPosition, result.LastPosition, ct).ConfigureAwait(false);
        // Delivered at commit, when the statuses above become visible: the API's waiters wake on it (one per cycle).
        await using (var notify = tx.CreateCommand($"SELECT pg_notify('{Stele.Domain.Events.LogNotifications.Published}', $1)"))
        {
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = publishedSize.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            await notify.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task InsertClientsAsync(Stele.EventStore.Projections.ProjectionTransaction tx, FoldResult result, CancellationToken ct)
    {
        if (result.Registrations.Count == 0) return;
        var r = result.Registrations;
        await using var command = tx.CreateCommand(
            "INSERT INTO stele.clients (client_id, ed25519_public_key, bls_public_key, bls_proof_of_possession, leaf_index, position, registered_at, last_sequence) " +
            "SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[], $5::bigint[], $6::bigint[], $7::timestamptz[], $8::bigint[]) " +
            "ON CONFLICT (client_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = r.Select(x => unchecked((long)x.Client.Value)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = r.Select(x => x.Ed25519.ToArray()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = r.Select(x => x.Bls.ToBytes()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = r.Select(x => x.ProofOfPossession.ToBytes()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = r.Select(x => (long)x.Leaf).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = r.Select(x => x.Position).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = r.Select(x => x.At.UtcDateTime).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long?[]>
        {
            TypedValue = r.Select(x => result.SequenceUpdates.TryGetValue(x.Client, out var s) ? unchecked((long)s) : (long?)null).ToArray(),
        });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task UpdateSequencesAsync(Stele.EventStore.Projections.ProjectionTransaction tx, FoldResult result, CancellationToken ct)
    {
        var registered = result.Registrations.Select(r => r.Client).ToHashSet();
        var updates = result.SequenceUpdates.Where(u => !registered.Contains(u.Key)).ToArray();
        if (updates.Length == 0) return;
        await using var command = tx.CreateCommand(
            "UPDATE stele.clients c SET last_sequence = u.seq FROM unnest($1::bigint[], $2::bigint[]) AS u(id, seq) WHERE c.client_id = u.id");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = updates.Select(u => unchecked((long)u.Key.Value)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = updates.Select(u => unchecked((long)u.Value)).ToArray() });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task UpsertStatusesAsync(Stele.EventStore.Projections.ProjectionTransaction tx, FoldResult result, CancellationToken ct)
    {
        if (result.Statuses.Count == 0) return;
        // One row per (client, sequence) per statement: an acceptance wins over rejections, else the first rejection.
        var rows = new Dictionary<(ClientId, ulong), EntryStatus>();
        foreach (var s in result.Statuses)
        {
            if (!rows.TryGetValue((s.Client, s.Sequence), out var seen) || (seen.Leaf is null && s.Leaf is not null))
                rows[(s.Client, s.Sequence)] = s;
        }
        var list = rows.Values.ToArray();
        await using var command = tx.CreateCommand(
            "INSERT INTO stele.entry_status (client_id, sequence, position, leaf_index, rejection) " +
            "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[]) " +
            "ON CONFLICT (client_id, sequence) DO UPDATE SET position = excluded.position, leaf_index = excluded.leaf_index, rejection = NULL " +
            "WHERE stele.entry_status.leaf_index IS NULL AND excluded.leaf_index IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = list.Select(x => unchecked((long)x.Client.Value)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = list.Select(x => unchecked((long)x.Sequence)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = list.Select(x => x.Position).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long?[]> { TypedValue = list.Select(x => x.Leaf is { } l ? (long)l : (long?)null).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = list.Select(x => x.Rejection).ToArray() });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Erasures: remember the commitment (a resubmission is refused, by a trigger on stele.contents and
    /// by the fold) and delete the opening — salt and content — in the same transaction as the checkpoint.
    /// </summary>
    private static async Task RecordErasuresAsync(Stele.EventStore.Projections.ProjectionTransaction tx, FoldResult result, CancellationToken ct)
    {
        if (result.Erasures.Count == 0) return;
        var e = result.Erasures;
        var commitments = e.Select(x => CommitmentBytes(x.Commitment)).ToArray();
        await using (var command = tx.CreateCommand(
            "INSERT INTO stele.erasures (commitment, target_leaf, notice_leaf, position) " +
            "SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bigint[]) ON CONFLICT DO NOTHING"))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = commitments });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = e.Select(x => (long)x.Target).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = e.Select(x => (long)x.Notice).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = e.Select(x => x.Position).ToArray() });
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using (var command = tx.CreateCommand("DELETE FROM stele.contents WHERE commitment = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = commitments });
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await PackedOpeningRows.ScrubAsync(tx, e, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A deleted row (or the old version of a rewritten packed row, with its TOAST chunks) stays in the
    /// table's pages until vacuumed: reclaim them now, so the erased salt and content do not linger in the
    /// live database files (WAL and backups are the operator's, docs/erasure.md).
    /// </summary>
    public async Task VacuumContentsAsync(CancellationToken ct = default)
    {
        await using var command = database.CreateCommand("VACUUM (ANALYZE) stele.contents, stele.packed_openings");
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static byte[] CommitmentBytes(Commitment commitment)
    {
        var bytes = new byte[Commitment.Length];
        commitment.CopyTo(bytes);
        return bytes;
    }

    private static async Task InsertRejectionsAsync(Stele.EventStore.Projections.ProjectionTransaction tx, FoldResult result, CancellationToken ct)
    {
        if (result.Rejections.Count == 0) return;
        await using var command = tx.CreateCommand(
            "INSERT INTO stele.rejections (position, reason) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT (position) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = result.Rejections.Select(r => r.Position).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = result.Rejections.Select(r => r.Reason).ToArray() });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
