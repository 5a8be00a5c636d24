using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Signing;
using Stele.EventStore;

namespace Stele.Api;

public sealed partial class SubmissionApi
{
    private const long MaxRegistrationBody = 4096;

    /// <summary>
    /// POST /v1/clients (operator only): checks the client id derivation, the Ed25519
    /// self-signature and the BLS proof of possession, then appends ClientRegistered to "log".
    /// </summary>
    public async Task<IResult> RegisterAsync(HttpContext http, CancellationToken cancellationToken)
    {
        RequireOperator(http, "registration_disabled", "registers no clients", "registering a client");

        var request = await ReadJsonAsync(http, MaxRegistrationBody, ApiJson.Default.RegistrationRequest, cancellationToken).ConfigureAwait(false);
        if (!SubmissionHeaders.TryParseClient(request.Client, out var client)) throw ApiError.Malformed("client must be 16 hex digits");
        var ed25519 = Ed25519PublicKey.FromBytes(Hex.Decode(request.Ed25519PublicKey, Ed25519PublicKey.Length, "ed25519_public_key"));
        if (!BlsPublicKey.TryFromBytes(Hex.Decode(request.BlsPublicKey, BlsPublicKey.CompressedLength, "bls_public_key"), out var bls, out var blsError))
            throw ApiError.Malformed($"bls_public_key is not a valid BLS12-381 G1 public key ({blsError})");
        BlsProofOfPossession pop;
        try
        {
            pop = BlsProofOfPossession.FromBytes(Hex.Decode(request.ProofOfPossession, BlsProofOfPossession.CompressedLength, "proof_of_possession"));
        }
        catch (BlsFormatException ex)
        {
            throw ApiError.Malformed($"proof_of_possession is not a valid G2 point: {ex.Message}");
        }
        var selfSignature = Ed25519Signature.FromBytes(Hex.Decode(request.SelfSignature, Ed25519Signature.Length, "self_signature"));

        if (ClientId.FromKeys(ed25519, bls) != client)
            throw new ApiError(StatusCodes.Status400BadRequest, "client_id_mismatch", $"client id {client} is not derived from these keys (expected {ClientId.FromKeys(ed25519, bls)})");
        if (!ed25519.Verify(SigningMessages.Registration(Origin, client, ed25519, bls), selfSignature))
            throw new ApiError(StatusCodes.Status403Forbidden, "bad_signature", $"the self-signature does not verify over the registration message for {Origin}");
        if (!Bls.PopVerify(bls, pop, out _))
            throw new ApiError(StatusCodes.Status403Forbidden, "bad_proof_of_possession", "the BLS proof of possession does not verify");

        var @event = new ClientRegistered(client.Value, ed25519.ToArray(), bls.ToBytes(), pop.ToBytes(), selfSignature.ToArray(), DateTimeOffset.UtcNow);
        var position = await AppendRegistrationAsync(client, @event, cancellationToken).ConfigureAwait(false);
        var url = ClientStatusUrl(client);
        return Results.Json(new RegistrationResponse(client.ToString(), position, url), ApiJson.Default.RegistrationResponse, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>GET /v1/clients/{client}: registered (folded, with its leaf), pending, rejected or 404.</summary>
    public async Task<IResult> GetClientAsync(string client, CancellationToken cancellationToken)
    {
        if (!SubmissionHeaders.TryParseClient(client, out var id)) throw ApiError.Malformed("the client id is 16 hex digits");
        await using var command = _database.CreateCommand(
            "SELECT c.leaf_index, r.position, j.reason FROM (SELECT 1) AS one " +
            "LEFT JOIN stele.clients c ON c.client_id = $1 LEFT JOIN stele.registrations r ON r.client_id = $1 " +
            "LEFT JOIN stele.rejections j ON j.position = r.position");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)id.Value) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        ClientStatusResponse status;
        if (!reader.IsDBNull(0)) status = new(id.ToString(), "registered", (ulong)reader.GetInt64(0), null);
        else if (!reader.IsDBNull(2)) status = new(id.ToString(), "rejected", null, reader.GetString(2));
        else if (!reader.IsDBNull(1)) status = new(id.ToString(), "pending", null, null);
        else throw new ApiError(StatusCodes.Status404NotFound, "unknown_client", $"client {id} has not been registered here");
        return Results.Json(status, ApiJson.Default.ClientStatusResponse);
    }

    public static string ClientStatusUrl(ClientId client) => $"/v1/clients/{client}";

    private async Task<long> AppendRegistrationAsync(ClientId client, ClientRegistered @event, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var appended = await _events.AppendInTransactionAsync(connection, transaction, LogEventTypes.LogStream, ExpectedVersion.Any, [@event], cancellationToken).ConfigureAwait(false);
            await using var insert = new NpgsqlCommand("INSERT INTO stele.registrations (client_id, position) VALUES ($1, $2)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)client.Value) });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = appended.FirstPosition });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return appended.FirstPosition;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new ApiError(StatusCodes.Status409Conflict, "already_registered", $"client {client} is already registered");
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpContext http, long limit, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > limit)
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, "too_large", $"the body is {http.Request.ContentLength} bytes; at most {limit} are accepted here");
        LimitBody(http, limit);
        try
        {
            return await JsonSerializer.DeserializeAsync(http.Request.Body, type, cancellationToken).ConfigureAwait(false)
                ?? throw ApiError.Malformed("the body is JSON null");
        }
        catch (JsonException ex)
        {
            throw ApiError.Malformed($"the body is not the expected JSON: {ex.Message}");
        }
        catch (BadHttpRequestException ex)
        {
            throw new ApiError(ex.StatusCode, ex.StatusCode == 413 ? "too_large" : "truncated", $"the body could not be read: {ex.Message}");
        }
    }
}
