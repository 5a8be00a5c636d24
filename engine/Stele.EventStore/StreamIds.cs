namespace Stele.EventStore;

/// <summary>Stream ids and projection names: 1-200 characters of [A-Za-z0-9] and - _ . : / @.</summary>
public static class StreamIds
{
    public const int MaxLength = 200;

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.AsSpan().IndexOfAnyExcept(Allowed) < 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the rule when <paramref name="id"/> is not a valid id.</summary>
    public static string Validate(string? id, string what = "stream id")
    {
        if (IsValid(id)) return id!;
        var shown = id is null ? "null" : $"'{(id.Length > 40 ? id[..40] + "…" : id)}'";
        throw new ArgumentException($"{what} {shown} is invalid: use 1-{MaxLength} characters from A-Z a-z 0-9 - _ . : / @");
    }

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/@");
}
