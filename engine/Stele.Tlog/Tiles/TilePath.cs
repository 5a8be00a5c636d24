using System.Globalization;
using System.Text;

namespace Stele.Tlog.Tiles;

/// <summary>
/// Strict formatting and parsing of C2SP tlog-tiles paths: <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> and
/// <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>, with N in x-prefixed 3-digit groups (1234067 → x001/x234/067).
/// Parsing accepts only the one canonical spelling of each tile.
/// </summary>
public static class TilePath
{
    private const string Prefix = "tile/";
    private const string EntriesSegment = "entries";
    private const string PartialSuffix = ".p";

    public static string Format(TileId tile)
    {
        var builder = new StringBuilder(Prefix, 48);
        if (tile.Kind == TileKind.Entries) builder.Append(EntriesSegment);
        else builder.Append(tile.Level.ToString(CultureInfo.InvariantCulture));
        builder.Append('/');
        AppendIndex(builder, tile.Index);
        if (tile.IsPartial) builder.Append(PartialSuffix).Append('/').Append(tile.Width.ToString(CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    /// <summary>Parses a tile path, throwing <see cref="FormatException"/> that names what is wrong.</summary>
    public static TileId Parse(string path)
    {
        if (TryParse(path, out var tile, out var error)) return tile;
        throw new FormatException($"'{Truncate(path)}' is not a tile path: {error}.");
    }

    public static bool TryParse(string? path, out TileId tile) => TryParse(path, out tile, out _);

    private static bool TryParse(string? path, out TileId tile, out string error)
    {
        tile = default;
        if (string.IsNullOrEmpty(path)) return Fail("it is empty", out error);
        if (!path.StartsWith(Prefix, StringComparison.Ordinal)) return Fail("it must start with 'tile/'", out error);
        var segments = path[Prefix.Length..].Split('/');
        if (segments.Length < 2) return Fail("it needs a level and an index", out error);

        var kind = TileKind.Hashes;
        var level = 0;
        if (segments[0] == EntriesSegment) kind = TileKind.Entries;
        else if (!TryParseDecimal(segments[0], TileId.MaxLevel, out level))
            return Fail($"level '{segments[0]}' must be 'entries' or a decimal 0..{TileId.MaxLevel} without leading zeros", out error);

        ulong index = 0;
        var width = TileId.FullWidth;
        var i = 1;
        for (; ; i++)
        {
            if (i >= segments.Length) return Fail("the index ends with an x-prefixed group; the last group has no 'x'", out error);
            var segment = segments[i];
            var group = segment.StartsWith('x') ? segment[1..] : segment.EndsWith(PartialSuffix, StringComparison.Ordinal) ? segment[..^PartialSuffix.Length] : segment;
            if (group.Length != 3 || !group.All(char.IsAsciiDigit))
                return Fail($"index group '{segment}' must be three digits (x-prefixed except the last)", out error);
            var value = (ulong)((group[0] - '0') * 100 + (group[1] - '0') * 10 + (group[2] - '0'));
            if (index > (ulong.MaxValue - value) / 1000) return Fail("the index does not fit in 64 bits", out error);
            index = index * 1000 + value;
            if (segment.StartsWith('x')) continue;
            if (segment.EndsWith(PartialSuffix, StringComparison.Ordinal))
            {
                if (i + 1 != segments.Length - 1) return Fail("'.p' must be followed by exactly one width segment", out error);
                if (!TryParseDecimal(segments[i + 1], TileId.FullWidth - 1, out width) || width == 0)
                    return Fail($"partial width '{segments[i + 1]}' must be a decimal 1..255 without leading zeros", out error);
                i++;
            }
            break;
        }
        if (i != segments.Length - 1) return Fail("unexpected segments after the index", out error);

        tile = kind == TileKind.Entries ? TileId.Entries(index, width) : TileId.Hashes(level, index, width);
        // One canonical spelling per tile: no leading x000 groups and the like.
        if (Format(tile) != path) return Fail($"it is not canonical (expected '{Format(tile)}')", out error);
        error = "";
        return true;
    }

    /// <summary>N in x-prefixed three-digit groups (1234067 → x001/x234/067), as tlog-tiles spells it.</summary>
    public static string FormatIndex(ulong index)
    {
        var builder = new StringBuilder(32);
        AppendIndex(builder, index);
        return builder.ToString();
    }

    private static void AppendIndex(StringBuilder builder, ulong index)
    {
        Span<ushort> groups = stackalloc ushort[7];
        var count = 0;
        do
        {
            groups[count++] = (ushort)(index % 1000);
            index /= 1000;
        } while (index > 0);
        for (var g = count - 1; g >= 0; g--)
        {
            if (g > 0) builder.Append('x');
            builder.Append(groups[g].ToString("D3", CultureInfo.InvariantCulture));
            if (g > 0) builder.Append('/');
        }
    }

    private static bool TryParseDecimal(string text, int max, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 3 || !text.All(char.IsAsciiDigit)) return false;
        if (text.Length > 1 && text[0] == '0') return false;
        value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= max;
    }

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }

    private static string Truncate(string? path) =>
        path is null ? "" : path.Length <= 80 ? path : path[..80] + "…";
}
