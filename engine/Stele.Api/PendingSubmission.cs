using Stele.Domain.Identity;
using Stele.EventStore;

namespace Stele.Api;

/// <summary>
/// One accepted-so-far submission waiting for its group's transaction: the event for the client's
/// stream, the sequence range it reserves and its openings: one stele.contents row each, or, when
/// <paramref name="Packed"/>, one stele.packed_openings row for all of them keyed by the event's
/// position (a batch of small entries). Settles with where the event landed, or with the
/// <see cref="ApiError"/> that refused it (no trace of it is left then).
/// </summary>
internal sealed record PendingSubmission(
    ClientId Client, ulong FirstSequence, ulong LastSequence, object Event, IReadOnlyList<Opening> Openings, bool Packed, CancellationToken CancellationToken)
{
    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ApiError Replayed() =>
        new(409, "replayed_sequence", $"sequence {FirstSequence} of client {Client} is not above the last one this board accepted");

    public static ApiError CommitmentReused() =>
        new(409, "commitment_reused", "an entry with this commitment was already submitted: use a fresh salt");
}
