using System.Text.Json.Serialization;
using Stele.EventStore;

namespace Stele.Cli.Hosting;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(EventStoreInfo))]
internal sealed partial class SteleJson : JsonSerializerContext;
