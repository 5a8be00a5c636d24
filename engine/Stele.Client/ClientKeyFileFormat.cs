using System.Text.Json.Serialization;

namespace Stele.Client;

/// <summary>The JSON of a client key file (docs/keys.md). Binary values are lowercase hex.</summary>
internal sealed record ClientKeyFileFormat(
    string Format, string ClientId, string Ed25519Seed, string Ed25519PublicKey, string BlsSecretKey, string BlsPublicKey, string BlsProofOfPossession)
{
    public const string CurrentFormat = "stele-client-key/v1";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ClientKeyFileFormat))]
internal sealed partial class ClientKeyFileJson : JsonSerializerContext;
