namespace Stele.Domain.Identity;

/// <summary>
/// The log's name: the checkpoint's first line and the key name of its signer. Every signing
/// message includes it, so a signature made for one board is worthless on another.
/// </summary>
public sealed record LogOrigin
{
    public LogOrigin(string value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 255)
            throw new ArgumentException("A log origin is 1 to 255 characters.", nameof(value));
        foreach (var c in value)
        {
            if (c <= ' ' || c > '~' || c == '+')
                throw new ArgumentException($"A log origin is printable ASCII without spaces or '+': '{value}'.", nameof(value));
        }
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}
