using Stele.Domain.Content;

namespace Stele.Api;

/// <summary>An entry's opening as stored in stele.contents: inline bytes for small contents, a blob key for large ones.</summary>
internal sealed record Opening(Commitment Commitment, Salt Salt, ulong Size, byte[]? Content, string? BlobKey);
