namespace Stele.Api;

/// <summary>Strict fixed-length hex decoding for request fields, failing with the field's name.</summary>
internal static class Hex
{
    public static byte[] Decode(string? text, int length, string field)
    {
        if (text is null || text.Length != 2 * length)
            throw ApiError.Malformed($"{field} must be {2 * length} hex digits");
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw ApiError.Malformed($"{field} must be {2 * length} hex digits");
        }
    }
}
