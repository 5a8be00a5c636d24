using Stele.Storage;

namespace Stele.Projections.Rebuild;

/// <summary>How a key differs between the live store and a rebuilt one.</summary>
public enum KeyDifference
{
    /// <summary>In the live store only.</summary>
    Missing,

    /// <summary>In the rebuilt store only.</summary>
    Extra,

    /// <summary>In both, with other bytes.</summary>
    Different,
}

/// <summary>One key that is not identical.</summary>
public sealed record KeyMismatch(string Key, KeyDifference Difference, string Detail)
{
    public override string ToString() => $"{Key}: {Difference.ToString().ToLowerInvariant()} ({Detail})";
}

/// <summary>
/// Byte-for-byte comparison of two stores. A partial tile or bundle (<c>….p/W</c>) is a snapshot of
/// the right edge at the end of some cycle; live and rebuild cut cycles differently, so one present
/// on a side only is accepted when its bytes are a prefix of the other side's longest version.
/// </summary>
public sealed class StoreComparison
{
    private const string PartialMarker = ".p/";

    private StoreComparison(int compared, int partialsAccepted, List<KeyMismatch> mismatches)
    {
        Compared = compared;
        PartialsAccepted = partialsAccepted;
        Mismatches = mismatches;
    }

    /// <summary>Keys present in both stores (compared byte for byte).</summary>
    public int Compared { get; }

    /// <summary>Partial tiles on one side only whose bytes are a prefix of the other side's version.</summary>
    public int PartialsAccepted { get; }

    public IReadOnlyList<KeyMismatch> Mismatches { get; }

    public bool Identical => Mismatches.Count == 0;

    public static async Task<StoreComparison> CompareAsync(IObjectStore live, IObjectStore rebuilt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(rebuilt);
        var liveKeys = await ListAsync(live, ct).ConfigureAwait(false);
        var rebuiltKeys = await ListAsync(rebuilt, ct).ConfigureAwait(false);
        var mismatches = new List<KeyMismatch>();
        int compared = 0, partials = 0;
        foreach (var (key, size) in liveKeys)
        {
            if (!rebuiltKeys.TryGetValue(key, out var other))
            {
                if (await IsPrefixOfLongerAsync(live, key, rebuilt, rebuiltKeys, ct).ConfigureAwait(false)) partials++;
                else mismatches.Add(new KeyMismatch(key, KeyDifference.Missing, $"{size} bytes live, not rebuilt"));
                continue;
            }
            compared++;
            if (size != other) mismatches.Add(new KeyMismatch(key, KeyDifference.Different, $"{size} bytes live, {other} rebuilt"));
            else if (!await SameBytesAsync(live, rebuilt, key, ct).ConfigureAwait(false))
                mismatches.Add(new KeyMismatch(key, KeyDifference.Different, $"same size ({size} bytes), other bytes"));
        }
        foreach (var (key, size) in rebuiltKeys)
        {
            if (liveKeys.ContainsKey(key)) continue;
            if (await IsPrefixOfLongerAsync(rebuilt, key, live, liveKeys, ct).ConfigureAwait(false)) partials++;
            else mismatches.Add(new KeyMismatch(key, KeyDifference.Extra, $"{size} bytes rebuilt, not live"));
        }
        mismatches.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new StoreComparison(compared, partials, mismatches);
    }

    private static async Task<bool> SameBytesAsync(IObjectStore live, IObjectStore rebuilt, string key, CancellationToken ct)
    {
        var a = await live.GetBytesAsync(key, ct).ConfigureAwait(false);
        var b = await rebuilt.GetBytesAsync(key, ct).ConfigureAwait(false);
        return a.AsSpan().SequenceEqual(b);
    }

    private static async Task<SortedDictionary<string, long>> ListAsync(IObjectStore store, CancellationToken ct)
    {
        var keys = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var item in store.ListAsync(cancellationToken: ct).ConfigureAwait(false)) keys[item.Key] = item.Size;
        return keys;
    }

    // tile/0/001.p/7 is a prefix of tile/0/001 (or of tile/0/001.p/9) once the tile grew.
    private static async Task<bool> IsPrefixOfLongerAsync(IObjectStore store, string key, IObjectStore other, SortedDictionary<string, long> otherKeys, CancellationToken ct)
    {
        var marker = key.LastIndexOf(PartialMarker, StringComparison.Ordinal);
        if (marker < 0) return false;
        var full = key[..marker];
        var longest = otherKeys.ContainsKey(full) ? full
            : otherKeys.Where(k => k.Key.StartsWith(full + PartialMarker, StringComparison.Ordinal))
                .MaxBy(k => int.TryParse(k.Key.AsSpan(marker + PartialMarker.Length), out var w) ? w : -1).Key;
        if (longest is null) return false;
        var bytes = await store.GetBytesAsync(key, ct).ConfigureAwait(false);
        var longer = await other.GetBytesAsync(longest, ct).ConfigureAwait(false);
        return longer.Length > bytes.Length && longer.AsSpan(0, bytes.Length).SequenceEqual(bytes);
    }
}
