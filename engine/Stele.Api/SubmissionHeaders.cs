using System.Globalization;
using Microsoft.AspNetCore.Http;
using Stele.Crypto.Ed25519;
using Stele.Domain.Content;
using Stele.Domain.Identity;

namespace Stele.Api;

/// <summary>
/// What <c>POST /v1/entries</c> carries in headers, parsed strictly before any body byte is read:
/// the descriptor (client, sequence, commitment, Content-Length, Content-Type), the salt and the signature.
/// </summary>
public sealed record SubmissionHeaders(EntryDescriptor Descriptor, Salt Salt, Ed25519Signature Signature)
{
    public const string Client = "Stele-Client";
    public const string Sequence = "Stele-Sequence";
    public const string CommitmentHeader = "Stele-Commitment";
    public const string SaltHeader = "Stele-Salt";
    public const string SignatureHeader = "Stele-Signature";

    public static SubmissionHeaders Parse(HttpRequest request, long maxEntrySize)
    {
        var headers = request.Headers;
        var clientText = Single(headers, Client);
        if (!TryParseClient(clientText, out var client)) throw ApiError.Malformed($"{Client} must be 16 hex digits");
        if (!ulong.TryParse(Single(headers, Sequence), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            throw ApiError.Malformed($"{Sequence} must be a decimal unsigned 64-bit integer");
        var commitment = Commitment.FromBytes(Hex.Decode(Single(headers, CommitmentHeader), Commitment.Length, CommitmentHeader));
        var salt = Salt.FromBytes(Hex.Decode(Single(headers, SaltHeader), Salt.Length, SaltHeader));
        var signature = Ed25519Signature.FromBytes(Hex.Decode(Single(headers, SignatureHeader), Ed25519Signature.Length, SignatureHeader));
        var mediaTypeText = request.ContentType;
        if (!MediaType.IsValid(mediaTypeText)) throw ApiError.Malformed("Content-Type must be the entry's media type (type/subtype, printable ASCII, at most 127 bytes)");
        var size = request.ContentLength
            ?? throw new ApiError(StatusCodes.Status411LengthRequired, "length_required", "Content-Length is required: it is the entry's signed size");
        if (size > maxEntrySize)
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, "too_large", $"the entry is {size} bytes; this board accepts at most {maxEntrySize}");
        var descriptor = new EntryDescriptor(client, sequence, commitment, (ulong)size, new MediaType(mediaTypeText!));
        return new SubmissionHeaders(descriptor, salt, signature);
    }

    internal static bool TryParseClient(string? text, out ClientId client)
    {
        client = default;
        if (text is not { Length: 16 } || !ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return false;
        client = new ClientId(value);
        return true;
    }

    private static string Single(IHeaderDictionary headers, string name)
    {
        var values = headers[name];
        return values.Count switch
        {
            1 => values[0] ?? throw ApiError.Malformed($"header {name} is missing"),
            0 => throw ApiError.Malformed($"header {name} is missing"),
            _ => throw ApiError.Malformed($"header {name} appears more than once"),
        };
    }
}
