namespace Stele.Tlog.Tiles;

/// <summary>The result of an append: the new size and root, and exactly the tiles that changed.</summary>
/// <param name="Tiles">Full tiles completed by this append and the new partial tile of every level
/// that changed, ordered by level then index. Write them all before publishing a checkpoint.</param>
public sealed record TreeUpdate(TreeSize Size, Hash Root, IReadOnlyList<Tile> Tiles);
