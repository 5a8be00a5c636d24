using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Stele.Domain.Events;
using Stele.Domain.Records;
using Stele.EventStore;

namespace Stele.Api;

/// <summary><c>POST /v1/redactions</c>: erase the content of one leaf (operator only).</summary>
public sealed record RedactionRequest(ulong LeafIndex, string Reason, string LegalBasis);

/// <summary>A redaction's receipt or status: pending, erased (with its notice leaf) or rejected (with the fold's reason).</summary>
public sealed record RedactionStatusResponse(long Position, string Status, ulong? TargetLeaf, ulong? NoticeLeaf, string? Reason, string StatusUrl);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RedactionRequest))]
[JsonSerializable(typeof(RedactionStatusResponse))]
public sealed partial class RedactionJson : JsonSerializerContext;

public sealed partial class SubmissionApi
{
    // Two texts of at most MaxTextBytes each, with room for JSON escapes (\uXXXX is 6 bytes a char).
    private const long MaxRedactionBody = 64 * 1024;

    /// <summary>
    /// POST /v1/redactions (operator only): appends EntryRedacted to "log". The fold decides (the leaf
    /// must be an entry not erased yet); the status URL reports its verdict.
    /// </summary>
    public async Task<IResult> RedactAsync(HttpContext http, CancellationToken cancellationToken)
    {
        RequireOperator(http, "redaction_disabled", "accepts no redactions", "a redaction");

        var request = await ReadJsonAsync(http, MaxRedactionBody, RedactionJson.Default.RedactionRequest, cancellationToken).ConfigureAwait(false);
        CheckRedactionText(request.Reason, "reason");
        CheckRedactionText(request.LegalBasis, "legal_basis");
        await using (var erased = _database.CreateCommand("SELECT notice_leaf FROM stele.erasures WHERE target_leaf = $1"))
        {
            erased.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)request.LeafIndex) });
            if (await erased.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long notice)
                throw new ApiError(StatusCodes.Status409Conflict, "already_erased", $"leaf {request.LeafIndex} is already erased (notice at leaf {notice})");
        }

        var @event = new EntryRedacted(request.LeafIndex, request.Reason, request.LegalBasis, DateTimeOffset.UtcNow);
        var appended = await _events.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any, [@event], cancellationToken).ConfigureAwait(false);
        var position = appended.FirstPosition;
        return Results.Json(new RedactionStatusResponse(position, "pending", request.LeafIndex, null, null, RedactionStatusUrl(position)),
            RedactionJson.Default.RedactionStatusResponse, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>GET /v1/redactions/{position}: pending, erased or rejected; 404 when no redaction was appended there.</summary>
    public async Task<IResult> GetRedactionAsync(string position, CancellationToken cancellationToken)
    {
        if (!long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var at) || at < 1)
            throw ApiError.Malformed("the position is a positive decimal integer");
        await using var command = _database.CreateCommand(
            "SELECT e.payload->>'leafIndex', x.target_leaf, x.notice_leaf, j.reason FROM stele.events e " +
            "LEFT JOIN stele.erasures x ON x.position = e.position LEFT JOIN stele.rejections j ON j.position = e.position " +
            "WHERE e.position = $1 AND e.event_type = 'EntryRedacted'");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = at });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new ApiError(StatusCodes.Status404NotFound, "unknown_redaction", $"no redaction was appended at position {at}");
        var target = ulong.TryParse(reader.IsDBNull(0) ? null : reader.GetString(0), CultureInfo.InvariantCulture, out var leaf) ? leaf : (ulong?)null;
        var url = RedactionStatusUrl(at);
        RedactionStatusResponse status;
        if (!reader.IsDBNull(1)) status = new(at, "erased", (ulong)reader.GetInt64(1), (ulong)reader.GetInt64(2), null, url);
        else if (!reader.IsDBNull(3)) status = new(at, "rejected", target, null, reader.GetString(3), url);
        else status = new(at, "pending", target, null, null, url);
        return Results.Json(status, RedactionJson.Default.RedactionStatusResponse);
    }

    /// <summary>Operator actions need the operator token: 403 when none is configured, 401 when the request lacks it.</summary>
    private void RequireOperator(HttpContext http, string disabledCode, string refuses, string action)
    {
        if (Options.OperatorToken is not { } token)
            throw new ApiError(StatusCodes.Status403Forbidden, disabledCode, $"this server has no operator token configured, so it {refuses}");
        if (!token.Authorizes(http.Request.Headers.Authorization))
            throw new ApiError(StatusCodes.Status401Unauthorized, "unauthorized", $"{action} needs the operator's token: Authorization: Bearer <token>");
    }

    public static string RedactionStatusUrl(long position) => $"/v1/redactions/{position.ToString(CultureInfo.InvariantCulture)}";

    private static void CheckRedactionText(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) throw ApiError.Malformed($"{field} must not be empty");
        if (System.Text.Encoding.UTF8.GetByteCount(text) > RedactionRecord.MaxTextBytes)
            throw ApiError.Malformed($"{field} is longer than {RedactionRecord.MaxTextBytes} UTF-8 bytes");
    }
}

/// <summary>The redaction routes (docs/erasure.md).</summary>
public static class RedactionEndpoints
{
    public static IEndpointRouteBuilder MapSteleRedactions(this IEndpointRouteBuilder app, SubmissionApi api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        app.MapPost("/v1/redactions", (HttpContext http, CancellationToken ct) => SubmissionApi.GuardAsync(() => api.RedactAsync(http, ct)));
        app.MapGet("/v1/redactions/{position}", (string position, CancellationToken ct) => SubmissionApi.GuardAsync(() => api.GetRedactionAsync(position, ct)));
        return app;
    }
}
