using System.Text.Json.Serialization;

namespace Stele.Client;

// The submission API's JSON, as the client sees it (docs/http-api.md).

internal sealed record WireProblem(string? Error, string? Code);

internal sealed record WireRegistration(string Client, string Ed25519PublicKey, string BlsPublicKey, string ProofOfPossession, string SelfSignature);

internal sealed record WireRegistrationResponse(string Client, long Position, string StatusUrl);

internal sealed record WireClientStatus(string Client, string Status, ulong? LeafIndex, string? Reason);

internal sealed record WireEntryStatus(
    string Client, ulong Sequence, string Status, ulong? LeafIndex, string? Reason, string? Checkpoint, string[]? InclusionProof, string StatusUrl);

internal sealed record WireBatchResponse(string Client, string Root, int Count, WireEntryStatus[] Entries);

internal sealed record WireOrigin(string Origin, string? Verifier);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WireProblem))]
[JsonSerializable(typeof(WireRegistration))]
[JsonSerializable(typeof(WireRegistrationResponse))]
[JsonSerializable(typeof(WireClientStatus))]
[JsonSerializable(typeof(WireEntryStatus))]
[JsonSerializable(typeof(WireBatchResponse))]
[JsonSerializable(typeof(WireOrigin))]
internal sealed partial class WireJson : JsonSerializerContext;
