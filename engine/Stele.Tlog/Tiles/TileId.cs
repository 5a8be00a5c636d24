namespace Stele.Tlog.Tiles;

/// <summary>Whether a tile holds Merkle hashes (<c>tile/L/N</c>) or an entry bundle (<c>tile/entries/N</c>).</summary>
public enum TileKind
{
    Hashes,
    Entries,
}

/// <summary>
/// Coordinates of one C2SP tlog-tiles resource: kind, level (hash tiles only), index within the
/// level and width (256 = full; 1..255 = partial). Construct through <see cref="Hashes"/> or
/// <see cref="Entries"/>, which validate ranges.
/// </summary>
public readonly record struct TileId
{
    /// <summary>Tree levels per tile.</summary>
    public const int Height = 8;

    /// <summary>Hashes (or entries) in a full tile.</summary>
    public const int FullWidth = 1 << Height;

    /// <summary>Highest level the path syntax allows.</summary>
    public const int MaxLevel = 63;

    public TileKind Kind { get; }

    /// <summary>Tile level (0 for entry bundles): hashes at tree level 8·Level.</summary>
    public int Level { get; }

    public ulong Index { get; }

    public int Width { get; }

    public bool IsPartial => Width < FullWidth;

    /// <summary>Bytes in a hash tile of this width.</summary>
    public int HashTileByteLength => Kind == TileKind.Hashes
        ? Width * Hash.Length
        : throw new InvalidOperationException("Entry bundles have no fixed byte length.");

    private TileId(TileKind kind, int level, ulong index, int width)
    {
        Kind = kind;
        Level = level;
        Index = index;
        Width = width;
    }

    public static TileId Hashes(int level, ulong index, int width = FullWidth)
    {
        if (level is < 0 or > MaxLevel)
            throw new ArgumentOutOfRangeException(nameof(level), level, $"A tile level is 0..{MaxLevel}.");
        CheckWidth(width);
        return new TileId(TileKind.Hashes, level, index, width);
    }

    public static TileId Entries(ulong index, int width = FullWidth)
    {
        CheckWidth(width);
        return new TileId(TileKind.Entries, 0, index, width);
    }

    /// <summary>This tile's path, e.g. <c>tile/0/x001/x234/067.p/5</c>.</summary>
    public string Path => TilePath.Format(this);

    public override string ToString() => Path;

    private static void CheckWidth(int width)
    {
        if (width is < 1 or > FullWidth)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"A tile width is 1..{FullWidth} ({FullWidth} = full).");
    }
}
