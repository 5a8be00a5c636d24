namespace Stele.Domain.Content;

/// <summary>An entry's declared media type: ASCII, 1–127 bytes, <c>type/subtype</c> with optional parameters.</summary>
public sealed record MediaType
{
    public const int MaxLength = 127;

    public static readonly MediaType OctetStream = new("application/octet-stream");

    public MediaType(string value)
    {
        if (!IsValid(value)) throw new ArgumentException($"'{value}' is not a media type (type/subtype, printable ASCII, at most {MaxLength} bytes).", nameof(value));
        Value = value;
    }

    public string Value { get; }

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength) return false;
        var slash = value.IndexOf('/');
        if (slash <= 0 || slash == value.Length - 1) return false;
        foreach (var c in value)
            if (c < ' ' || c > '~') return false;
        return true;
    }

    public override string ToString() => Value;
}
