using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Stele.Client;

/// <summary>Where a redaction stands: pending (appended, not folded yet), erased, or rejected with the fold's reason.</summary>
public enum RedactionState
{
    Pending,
    Erased,
    Rejected,
}

/// <summary>A redaction's status as the server reports it. <see cref="NoticeLeaf"/> is the public notice of an erasure.</summary>
public sealed record RedactionStatus(long Position, RedactionState State, ulong? TargetLeaf, ulong? NoticeLeaf, string? Reason);

internal sealed record WireRedaction(ulong LeafIndex, string Reason, string LegalBasis);

internal sealed record WireRedactionStatus(long Position, string Status, ulong? TargetLeaf, ulong? NoticeLeaf, string? Reason, string StatusUrl);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WireRedaction))]
[JsonSerializable(typeof(WireRedactionStatus))]
internal sealed partial class RedactionWireJson : JsonSerializerContext;

public sealed partial class SteleClient
{
    /// <summary>
    /// Asks the board to erase the content of <paramref name="leafIndex"/> (an operator action, docs/erasure.md):
    /// returns the position of the appended EntryRedacted; the fold then erases it or says why not.
    /// </summary>
    public async Task<long> RedactAsync(ulong leafIndex, string reason, string legalBasis, string operatorToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(legalBasis);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/redactions")
        {
            Content = JsonContent.Create(new WireRedaction(leafIndex, reason, legalBasis), RedactionWireJson.Default.WireRedaction),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken.Trim());
        var response = await SendAsync(request, RedactionWireJson.Default.WireRedactionStatus, cancellationToken).ConfigureAwait(false);
        return response.Position;
    }

    public async Task<RedactionStatus> GetRedactionAsync(long position, CancellationToken cancellationToken = default)
    {
        var path = $"v1/redactions/{position.ToString(CultureInfo.InvariantCulture)}";
        var wire = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), RedactionWireJson.Default.WireRedactionStatus, cancellationToken).ConfigureAwait(false);
        var state = wire.Status switch
        {
            "pending" => RedactionState.Pending,
            "erased" => RedactionState.Erased,
            "rejected" => RedactionState.Rejected,
            _ => throw new SteleApiException(200, "bad_response", $"the server reported an unknown redaction status '{wire.Status}'"),
        };
        return new RedactionStatus(wire.Position, state, wire.TargetLeaf, wire.NoticeLeaf, wire.Reason);
    }

    /// <summary>Polls until the fold has decided the redaction at <paramref name="position"/>; null on timeout.</summary>
    public async Task<RedactionStatus?> WaitForRedactionAsync(long position, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await GetRedactionAsync(position, cancellationToken).ConfigureAwait(false);
            if (status.State != RedactionState.Pending) return status;
            if (DateTime.UtcNow >= deadline) return null;
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }
}
