using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.EventStore;
using Stele.Storage;

namespace Stele.Api;

/// <summary>
/// The submission API's request handlers (docs/http-api.md). Every refusal is an
/// <see cref="ApiError"/> raised before anything is written, or after a rollback and blob
/// deletion, so a refused request leaves no event, no contents row and no blob.
/// </summary>
public sealed partial class SubmissionApi : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly PostgresEventStore _events;
    private readonly IObjectStore _storage;
    private readonly ClientDirectory _clients;
    private readonly SubmissionStore _store;
    private readonly ContentIntake _intake;
    private readonly InclusionTracker _inclusion;
    private readonly SequenceGuard _sequences;

    public SubmissionApi(NpgsqlDataSource database, PostgresEventStore events, IObjectStore storage, SubmissionApiOptions options)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (!events.Types.Types.Any(t => t.ClrType == typeof(EntrySubmitted)))
            throw new ArgumentException("the event store's type registry lacks the log events: build it with AddLogEvents()", nameof(events));
        _clients = new ClientDirectory(database);
        _store = new SubmissionStore(database, events);
        _intake = new ContentIntake(storage);
        _inclusion = new InclusionTracker(database, storage, options);
        _sequences = new SequenceGuard(database);
    }

    public SubmissionApiOptions Options { get; }

    private LogOrigin Origin => Options.Origin;

    /// <summary>GET /v1/origin: the origin every signature must name, and the verifier key when configured.</summary>
    public IResult GetOrigin() =>
        Results.Json(new OriginResponse(Origin.Value, Options.Verifier?.ToString()), ApiJson.Default.OriginResponse);

    /// <summary>GET /v1/entries/{client}/{sequence}[?wait=S]: with wait, answers once the entry is included or rejected, or the wait passed.</summary>
    public async Task<IResult> GetEntryStatusAsync(HttpRequest request, string client, string sequence, CancellationToken cancellationToken)
    {
        var (id, seq) = ParseEntryPath(client, sequence);
        var wait = RequestedWait(request);
        var status = await (wait is { } timeout
                ? _inclusion.WaitAsync(id, seq, timeout, cancellationToken)
                : _inclusion.GetAsync(id, seq, cancellationToken)).ConfigureAwait(false)
            ?? throw new ApiError(StatusCodes.Status404NotFound, "unknown_entry", $"no entry {seq} of client {id} was accepted here");
        return Results.Json(status, ApiJson.Default.EntryStatusResponse);
    }

    /// <summary>Stops listening for publications (waiting requests return their current status).</summary>
    public ValueTask DisposeAsync() => _inclusion.DisposeAsync();

    /// <summary>Turns <see cref="ApiError"/>s into problem bodies; anything else is a 500 with a generic line.</summary>
    public static async Task<IResult> GuardAsync(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (ApiError error)
        {
            return error.ToResult();
        }
    }

    internal TimeSpan? RequestedWait(HttpRequest request)
    {
        if (!request.Query.TryGetValue("wait", out var values)) return null;
        if (values.Count != 1 || !double.TryParse(values[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
            throw ApiError.Malformed("wait must be a non-negative number of seconds");
        var wait = TimeSpan.FromSeconds(seconds);
        return wait > Options.MaxWait ? Options.MaxWait : wait;
    }

    private static (ClientId Client, ulong Sequence) ParseEntryPath(string client, string sequence)
    {
        if (!SubmissionHeaders.TryParseClient(client, out var id)) throw ApiError.Malformed("the client id is 16 hex digits");
        if (!ulong.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) throw ApiError.Malformed("the sequence is a decimal unsigned 64-bit integer");
        return (id, seq);
    }

    private static void LimitBody(HttpContext http, long limit)
    {
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
    }

    /// <summary>After a refusal: deletes a blob this request completed unless an accepted entry owns the same commitment.</summary>
    private async Task DiscardBlobAsync(Opening? opening)
    {
        if (opening?.BlobKey is null) return;
        var commitment = new byte[32];
        opening.Commitment.CopyTo(commitment);
        if (await _store.HasOpeningAsync(commitment, CancellationToken.None).ConfigureAwait(false)) return;
        await _storage.DeleteAsync(opening.BlobKey, CancellationToken.None).ConfigureAwait(false);
    }

    private static bool IsInline(ulong size) => size <= PayloadSlot.InlineLimit;

    private static byte[] Bytes(Stele.Domain.Content.Commitment commitment)
    {
        var bytes = new byte[32];
        commitment.CopyTo(bytes);
        return bytes;
    }
}
