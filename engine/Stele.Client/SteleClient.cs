using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Stele.Domain.Identity;
using Stele.Tlog.Notes;

namespace Stele.Client;

/// <summary>
/// A Stele board's submission API in a few calls: register (operator), submit (streaming),
/// submit a batch, status, and wait for inclusion. Inclusion proofs are verified against the
/// log key you trust before anything is returned (docs/http-api.md).
/// </summary>
public sealed partial class SteleClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly NoteVerifiers? _trusted;

    /// <param name="server">The board's base URL, e.g. http://127.0.0.1:7380/.</param>
    /// <param name="origin">The log origin every signature names.</param>
    /// <param name="trustedLog">The log's verifier key; needed to verify inclusion. Its name must be the origin.</param>
    /// <param name="http">An HttpClient to use (not disposed), or null for a private one.</param>
    public SteleClient(Uri server, LogOrigin origin, NoteVerifierKey? trustedLog = null, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Origin = origin ?? throw new ArgumentNullException(nameof(origin));
        if (trustedLog is not null && trustedLog.Name != origin.Value)
            throw new ArgumentException($"the trusted log key is named '{trustedLog.Name}', not the origin '{origin}'", nameof(trustedLog));
        TrustedLog = trustedLog;
        _trusted = trustedLog is null ? null : new NoteVerifiers(trustedLog);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Server = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
    }

    public Uri Server { get; }

    public LogOrigin Origin { get; }

    public NoteVerifierKey? TrustedLog { get; }

    /// <summary>
    /// Connects using the log verifier key you trust (its name is the origin). Without one, asks
    /// the server for its origin and verifier key: trust on first use, which only protects against
    /// a server that later changes keys.
    /// </summary>
    public static async Task<SteleClient> ConnectAsync(Uri server, NoteVerifierKey? trustedLog, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        if (trustedLog is not null) return new SteleClient(server, new LogOrigin(trustedLog.Name), trustedLog, http);
        var probe = new SteleClient(server, new LogOrigin("probe"), null, http);
        try
        {
            var facts = await probe.SendAsync(new HttpRequestMessage(HttpMethod.Get, "v1/origin"), WireJson.Default.WireOrigin, cancellationToken).ConfigureAwait(false);
            var verifier = facts.Verifier is null ? null : NoteVerifierKey.Parse(facts.Verifier);
            return new SteleClient(server, new LogOrigin(facts.Origin), verifier, http);
        }
        finally
        {
            if (http is null) probe.Dispose();
        }
    }

    /// <summary>Registers <paramref name="keys"/> (an operator action): 202 once ClientRegistered is appended.</summary>
    public async Task<long> RegisterAsync(ClientKeys keys, string operatorToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorToken);
        var body = new WireRegistration(
            keys.Client.ToString(), keys.Ed25519PublicKey.ToString(), keys.BlsPublicKey.ToString(), keys.ProofOfPossession.ToString(),
            keys.SignRegistration(Origin).ToString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/clients") { Content = JsonContent.Create(body, WireJson.Default.WireRegistration) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken.Trim());
        var response = await SendAsync(request, WireJson.Default.WireRegistrationResponse, cancellationToken).ConfigureAwait(false);
        return response.Position;
    }

    /// <summary>"registered", "pending" or "rejected" (the fold's verdict on the registration); throws 404 for an unknown client.</summary>
    public async Task<string> GetRegistrationAsync(ClientId client, CancellationToken cancellationToken = default)
    {
        var status = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v1/clients/{client}"), WireJson.Default.WireClientStatus, cancellationToken).ConfigureAwait(false);
        return status.Status == "rejected" ? $"rejected: {status.Reason}" : status.Status;
    }

    /// <summary>Polls until the fold has admitted <paramref name="client"/>; false on timeout; throws if it was rejected.</summary>
    public async Task<bool> WaitForRegistrationAsync(ClientId client, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await GetRegistrationAsync(client, cancellationToken).ConfigureAwait(false);
            if (status == "registered") return true;
            if (status.StartsWith("rejected", StringComparison.Ordinal)) throw new SteleApiException(409, "registration_rejected", $"the board rejected client {client}'s registration ({status})");
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The entry's status as the server reports it (unverified; use <see cref="SubmissionResult.Included"/> for proof).</summary>
    public async Task<EntryStatus> GetStatusAsync(ClientId client, ulong sequence, CancellationToken cancellationToken = default)
    {
        var wire = await SendAsync(new HttpRequestMessage(HttpMethod.Get, StatusPath(client, sequence)), WireJson.Default.WireEntryStatus, cancellationToken).ConfigureAwait(false);
        return ToStatus(wire);
    }

    private static string StatusPath(ClientId client, ulong sequence) => $"v1/entries/{client}/{sequence.ToString(CultureInfo.InvariantCulture)}";

    private EntryStatus ToStatus(WireEntryStatus wire) => new(
        ClientId.Parse(wire.Client), wire.Sequence,
        wire.Status switch
        {
            "pending" => EntryState.Pending,
            "sequenced" => EntryState.Sequenced,
            "included" => EntryState.Included,
            "rejected" => EntryState.Rejected,
            _ => throw new SteleApiException(200, "bad_response", $"the server reported an unknown status '{wire.Status}'"),
        },
        wire.LeafIndex, wire.Reason, new Uri(Server, wire.StatusUrl.TrimStart('/')));

    internal async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using (request)
        {
            if (request.RequestUri is { IsAbsoluteUri: false } relative) request.RequestUri = new Uri(Server, relative);
            using var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new SteleApiException((int)response.StatusCode, "bad_response", "the server sent an empty body");
        }
    }

    private static async Task<SteleApiException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync(WireJson.Default.WireProblem, cancellationToken).ConfigureAwait(false);
            if (problem?.Error is { } error) return new SteleApiException(status, problem.Code ?? "error", error);
        }
        catch (System.Text.Json.JsonException)
        {
            // not a problem body: fall through to the status line
        }
        return new SteleApiException(status, "http_error", $"HTTP {status} {response.ReasonPhrase}");
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
