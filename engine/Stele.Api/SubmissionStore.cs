using Npgsql;
using NpgsqlTypes;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.EventStore;

namespace Stele.Api;

/// <summary>
/// Records an accepted submission in ONE transaction: the event (first write, to the client's own
/// stream), the sequence reservation, the openings. A replay or a reused commitment rolls
/// everything back, so a refusal leaves no event and no contents row.
/// </summary>
internal sealed class SubmissionStore(NpgsqlDataSource database, PostgresEventStore events)
{
    public async Task<AppendResult> CommitAsync(
        ClientId client, ulong firstSequence, ulong lastSequence, object @event, IReadOnlyList<Opening> openings, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var appended = await events.AppendInTransactionAsync(
                connection, transaction, LogEventTypes.ClientStream(client), ExpectedVersion.Any, [@event], cancellationToken).ConfigureAwait(false);

            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(SequenceGuard.Reserve(client, firstSequence, lastSequence));
            batch.BatchCommands.Add(InsertOpenings(openings));
            bool reserved;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                reserved = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false)) { }
            }
            if (!reserved)
                throw new ApiError(409, "replayed_sequence", $"sequence {firstSequence} of client {client} is not above the last one this board accepted");
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return appended;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new ApiError(409, "commitment_reused", "an entry with this commitment was already submitted: use a fresh salt");
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>True when stele.contents holds this commitment (so its blob belongs to an accepted entry).</summary>
    public async Task<bool> HasOpeningAsync(ReadOnlyMemory<byte> commitment, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT EXISTS (SELECT 1 FROM stele.contents WHERE commitment = $1)");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = commitment.ToArray() });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
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
            commitments[i] = new byte[32];
            opening.Commitment.CopyTo(commitments[i]);
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
}
