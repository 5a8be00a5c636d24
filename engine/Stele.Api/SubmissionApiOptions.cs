using Stele.Domain.Identity;
using Stele.Tlog.Notes;

namespace Stele.Api;

/// <summary>Settings of the submission API (docs/http-api.md).</summary>
public sealed record SubmissionApiOptions
{
    public const long DefaultMaxEntrySize = 8L << 30;

    /// <summary>The log's origin: every signature the API checks is bound to it.</summary>
    public required LogOrigin Origin { get; init; }

    /// <summary>The registration credential; without one, <c>POST /v1/clients</c> answers 403.</summary>
    public OperatorToken? OperatorToken { get; init; }

    /// <summary>The log's verifier key, served at <c>GET /v1/origin</c> so clients can pin it (optional).</summary>
    public NoteVerifierKey? Verifier { get; init; }

    /// <summary>Largest content accepted by <c>POST /v1/entries</c>; larger ones get 413 before any byte is read.</summary>
    public long MaxEntrySize { get; init; } = DefaultMaxEntrySize;

    /// <summary>Largest body of <c>POST /v1/batches</c>.</summary>
    public long MaxBatchBodySize { get; init; } = 64L << 20;

    /// <summary>Upper bound on <c>?wait=SECONDS</c>.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longest a waiting request goes without looking at its entry again. Normally the publisher's
    /// notification (<see cref="Stele.Domain.Events.LogNotifications.Published"/>) wakes it first;
    /// this is the safety net, and the polling interval while the database cannot be listened to.
    /// </summary>
    public TimeSpan WaitRecheckInterval { get; init; } = TimeSpan.FromSeconds(1);
}
