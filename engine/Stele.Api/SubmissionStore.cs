using Npgsql;
using Stele.Domain.Identity;
using Stele.EventStore;

namespace Stele.Api;

/// <summary>
/// Records an accepted submission atomically: the event (to the client's own stream), the sequence
/// reservation, the openings. Concurrent submissions share one transaction (<see cref="SubmissionWriter"/>),
/// yet each is judged alone: a replay or a reused commitment refuses only that submission and
/// leaves no event and no contents row of it.
/// </summary>
internal sealed class SubmissionStore(NpgsqlDataSource database, PostgresEventStore events)
{
    private readonly SubmissionWriter _writer = new(database, events);

    /// <summary>
    /// Where the event landed; throws <see cref="ApiError"/> 409 replayed_sequence or commitment_reused.
    /// <paramref name="packed"/> stores the openings as one stele.packed_openings row (inline contents only).
    /// </summary>
    public Task<AppendResult> CommitAsync(
        ClientId client, ulong firstSequence, ulong lastSequence, object @event, IReadOnlyList<Opening> openings, bool packed, CancellationToken cancellationToken)
    {
        events.Types.InfoFor(@event); // refuse an unregistered event type here, not inside a shared transaction
        return _writer.CommitAsync(new PendingSubmission(client, firstSequence, lastSequence, @event, openings, packed, cancellationToken));
    }

    /// <summary>True when stele.contents holds this commitment (so its blob belongs to an accepted entry).</summary>
    public async Task<bool> HasOpeningAsync(ReadOnlyMemory<byte> commitment, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT EXISTS (SELECT 1 FROM stele.contents WHERE commitment = $1)");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = commitment.ToArray() });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
