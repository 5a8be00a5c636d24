using Npgsql;
using NpgsqlTypes;
using Stele.Domain.Content;
using Stele.EventStore.Projections;
using Stele.Projections.Fold;

namespace Stele.Projections.ReadModels;

/// <summary>
/// stele.packed_openings (migration 0008): the openings of each broker batch in one row keyed by its
/// BatchDistilled event's position (format: <see cref="PackedOpenings"/>). The fold loads whole rows;
/// an erasure rewrites every row that holds an erased commitment without it.
/// </summary>
internal static class PackedOpeningRows
{
    /// <summary>Adds the openings of the batches at <paramref name="positions"/> (those that have a packed row) to <paramref name="table"/>.</summary>
    public static async Task AddToAsync(NpgsqlConnection connection, IReadOnlyCollection<long> positions, OpeningTable table, CancellationToken ct)
    {
        if (positions.Count == 0) return;
        await using var command = new NpgsqlCommand("SELECT commitments, openings FROM stele.packed_openings WHERE position = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. positions] });
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            foreach (var o in PackedOpenings.Unpack(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1)))
                table.Add(o.Commitment, new Opening(Salt.FromBytes(o.Salt.Span), (ulong)o.Content.Length, o.Content, null));
        }
    }

    /// <summary>
    /// Removes the erased openings from the rows that hold them: the target's own batch (found through
    /// entry_status, written earlier in this transaction), and any batch appended after the redaction
    /// (the fold refuses those, but their row must not keep the bytes). The erasures insert has taken
    /// the exclusive lock that writers take shared, so no batch slips in unseen (migration 0008).
    /// </summary>
    public static async Task ScrubAsync(ProjectionTransaction tx, IReadOnlyList<Erasure> erasures, CancellationToken ct)
    {
        if (erasures.Count == 0) return;
        var erased = erasures.Select(e => e.Commitment).ToHashSet();
        var rows = new List<(long Position, byte[] Commitments, byte[] Openings)>();
        await using (var find = tx.CreateCommand(
            "SELECT p.position, p.commitments, p.openings FROM stele.packed_openings p " +
            "WHERE (p.position IN (SELECT s.position FROM stele.entry_status s WHERE s.leaf_index = ANY($1)) OR p.position > $2) " +
            "AND EXISTS (SELECT 1 FROM unnest($3::bytea[]) AS c(commitment) WHERE position(c.commitment IN p.commitments) > 0) FOR UPDATE"))
        {
            find.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = erasures.Select(e => (long)e.Target).ToArray() });
            find.Parameters.Add(new NpgsqlParameter<long> { TypedValue = erasures.Min(e => e.Position) });
            find.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = erased.Select(Bytes).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            await using var reader = await find.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                rows.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2)));
        }
        foreach (var (position, commitments, openings) in rows)
        {
            // position() also matches bytes straddling two commitments: only an exact entry counts.
            if (PackedOpenings.Without(commitments, openings, erased) is not var (keptCommitments, keptOpenings)) continue;
            await using var update = tx.CreateCommand(
                "UPDATE stele.packed_openings SET entries = length($2) / 32, commitments = $2, openings = $3 WHERE position = $1");
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position });
            update.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = keptCommitments });
            update.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = keptOpenings });
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static byte[] Bytes(Commitment commitment)
    {
        var bytes = new byte[Commitment.Length];
        commitment.CopyTo(bytes);
        return bytes;
    }
}
