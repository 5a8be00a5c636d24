using System.Text.Json.Serialization;

namespace Stele.Api;

// The JSON bodies of the submission API (docs/http-api.md). Binary values are lowercase hex,
// except entry contents in batches (base64) and proof hashes (base64, as in tlog tiles/checkpoints).

/// <summary>Every error: one clear line and a stable machine-readable code.</summary>
public sealed record ProblemBody(string Error, string Code);

/// <summary><c>POST /v1/clients</c>: a client's public keys, BLS proof of possession and Ed25519 self-signature.</summary>
public sealed record RegistrationRequest(string Client, string Ed25519PublicKey, string BlsPublicKey, string ProofOfPossession, string SelfSignature);

public sealed record RegistrationResponse(string Client, long Position, string StatusUrl);

/// <summary><c>GET /v1/clients/{client}</c>: whether the fold has accepted the registration.</summary>
public sealed record ClientStatusResponse(string Client, string Status, ulong? LeafIndex, string? Reason);

/// <summary>An entry's receipt and status URL (202), or its status: pending, sequenced (leaf known, not yet published), included (with proof) or rejected.</summary>
public sealed record EntryStatusResponse(
    string Client, ulong Sequence, string Status, ulong? LeafIndex, string? Reason, string? Checkpoint, string[]? InclusionProof, string StatusUrl);

public sealed record BatchEntryRequest(ulong Sequence, string Salt, string MediaType, string Content);

/// <summary><c>POST /v1/batches</c>: one client's entries under one Ed25519 signature over the batch message.</summary>
public sealed record BatchRequest(string Client, string Signature, BatchEntryRequest[] Entries);

public sealed record BatchResponse(string Client, string Root, int Count, EntryStatusResponse[] Entries);

public sealed record OriginResponse(string Origin, string? Verifier);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(RegistrationRequest))]
[JsonSerializable(typeof(RegistrationResponse))]
[JsonSerializable(typeof(ClientStatusResponse))]
[JsonSerializable(typeof(EntryStatusResponse))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(OriginResponse))]
public sealed partial class ApiJson : JsonSerializerContext;
