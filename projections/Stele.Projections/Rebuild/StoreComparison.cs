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

    /// <summary>Objects compared at once (a directory store reads them on the thread pool, S3 over the network).</summary>
    public const int InFlight = 8;

    public static async Task<StoreComparison> CompareAsync(IObjectStore live, IObjectStore rebuilt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(rebuilt);
        var liveKeys = await ListAsync(live, ct).ConfigureAwait(false);
        var rebuiltKeys = await ListAsync(rebuilt, ct).ConfigureAwait(false);
        var checks = new List<Func<CancellationToken, Task<KeyMismatch?>>>();
        int compared = 0;
        foreach (var (key, size) in liveKeys)
        {
            if (!rebuiltKeys.TryGetValue(key, out var other))
            {
                checks.Add(async t => await IsPrefixOfLongerAsync(live, key, rebuilt, rebuiltKeys, t).ConfigureAwait(false)
                    ? null : new KeyMismatch(key, KeyDifference.Missing, $"{size} bytes live, not rebuilt"));
                continue;
            }
            compared++;
            if (size != other) checks.Add(_ => Task.FromResult<KeyMismatch?>(new KeyMismatch(key, KeyDifference.Different, $"{size} bytes live, {other} rebuilt")));
            else checks.Add(async t => await SameBytesAsync(live, rebuilt, key, size, t).ConfigureAwait(false)
                ? null : new KeyMismatch(key, KeyDifference.Different, $"same size ({size} bytes), other bytes"));
        }
        var oneSided = checks.Count - compared;
        foreach (var (key, size) in rebuiltKeys)
        {
            if (liveKeys.ContainsKey(key)) continue;
            oneSided++;
            checks.Add(async t => await IsPrefixOfLongerAsync(rebuilt, key, live, liveKeys, t).ConfigureAwait(false)
                ? null : new KeyMismatch(key, KeyDifference.Extra, $"{size} bytes rebuilt, not live"));
        }
        var outcomes = new KeyMismatch?[checks.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, checks.Count), new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct },
            async (i, t) => outcomes[i] = await checks[i](t).ConfigureAwait(false)).ConfigureAwait(false);
        var mismatches = outcomes.OfType<KeyMismatch>().ToList();
        mismatches.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var partials = oneSided - mismatches.Count(m => m.Difference != KeyDifference.Different);
        return new StoreComparison(compared, partials, mismatches);
    }

    private static async Task<bool> SameBytesAsync(IObjectStore live, IObjectStore rebuilt, string key, long size, CancellationToken ct)
    {
        await using var a = await live.GetAsync(key, ct).ConfigureAwait(false);
        await using var b = await rebuilt.GetAsync(key, ct).ConfigureAwait(false);
        return await StreamComparison.SamePrefixAsync(a, b, size, ct).ConfigureAwait(false);
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
        await using var shorter = await store.GetAsync(key, ct).ConfigureAwait(false);
        await using var longer = await other.GetAsync(longest, ct).ConfigureAwait(false);
        var length = shorter.Properties.Size;
        return longer.Properties.Size > length && await StreamComparison.SamePrefixAsync(shorter, longer, length, ct).ConfigureAwait(false);
    }
}
