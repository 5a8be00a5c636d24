using System.Text.Json.Serialization;

namespace Stele.Cli.Configuration;

/// <summary>The shape of stele.json. Unknown keys are an error so typos do not go unnoticed.</summary>
public sealed record ConfigFile
{
    public string? Database { get; init; }
    public string? Storage { get; init; }
    public S3Section? S3 { get; init; }
    public string? Listen { get; init; }

    /// <summary>Path of the log's signed-note key file; relative paths are relative to the config file.</summary>
    public string? LogKey { get; init; }

    /// <summary>The operator's bearer token for registrations (a secret: keep the file owner-only).</summary>
    public string? OperatorToken { get; init; }

    [JsonIgnore]
    public string? Path { get; init; }
}

public sealed record S3Section
{
    public string? Endpoint { get; init; }
    public string? Region { get; init; }
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ConfigFile))]
internal sealed partial class ConfigFileJson : JsonSerializerContext;
