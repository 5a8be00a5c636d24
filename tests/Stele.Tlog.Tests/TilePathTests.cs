using Stele.Tlog.Tiles;

namespace Stele.Tlog.Tests;

public sealed class TilePathTests
{
    [Theory]
    [InlineData(0, 0UL, 256, "tile/0/000")]
    [InlineData(0, 1234067UL, 256, "tile/0/x001/x234/067")]
    [InlineData(1, 67UL, 5, "tile/1/067.p/5")]
    [InlineData(63, 1000UL, 255, "tile/63/x001/000.p/255")]
    [InlineData(2, 18446744073709551615UL, 256, "tile/2/x018/x446/x744/x073/x709/x551/615")]
    public void HashTilePathsFormatAndParse(int level, ulong index, int width, string path)
    {
        var tile = TileId.Hashes(level, index, width);
        Assert.Equal(path, tile.Path);
        Assert.Equal(tile, TilePath.Parse(path));
    }

    [Theory]
    [InlineData(0UL, 256, "tile/entries/000")]
    [InlineData(1234067UL, 17, "tile/entries/x001/x234/067.p/17")]
    public void EntryBundlePathsFormatAndParse(ulong index, int width, string path)
    {
        var tile = TileId.Entries(index, width);
        Assert.Equal(path, tile.Path);
        Assert.Equal(tile, TilePath.Parse(path));
        Assert.Equal(TileKind.Entries, TilePath.Parse(path).Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tile/")]
    [InlineData("tiles/0/000")]
    [InlineData("/tile/0/000")]
    [InlineData("tile/0")]
    [InlineData("tile/00/000")]
    [InlineData("tile/64/000")]
    [InlineData("tile/-1/000")]
    [InlineData("tile/+1/000")]
    [InlineData("tile/0/00")]
    [InlineData("tile/0/0000")]
    [InlineData("tile/0/x000/067")]
    [InlineData("tile/0/x001")]
    [InlineData("tile/0/x01/234")]
    [InlineData("tile/0/001/234")]
    [InlineData("tile/0/067.p")]
    [InlineData("tile/0/067.p/")]
    [InlineData("tile/0/067.p/0")]
    [InlineData("tile/0/067.p/05")]
    [InlineData("tile/0/067.p/256")]
    [InlineData("tile/0/067.p/5/6")]
    [InlineData("tile/0/067/")]
    [InlineData("tile/0/067.q/5")]
    [InlineData("tile/0/x067.p/5")]
    [InlineData("tile/0/0a7")]
    [InlineData("tile/0/٠٠١")]
    [InlineData("tile/entries/")]
    [InlineData("tile/entry/000")]
    [InlineData("tile/0/x018/x446/x744/x073/x709/x551/616")]
    [InlineData("tile/0/x999/x999/x999/x999/x999/x999/x999/999")]
    public void MalformedPathsAreRejectedWithAReason(string path)
    {
        Assert.False(TilePath.TryParse(path, out _));
        var ex = Assert.Throws<FormatException>(() => TilePath.Parse(path));
        Assert.Contains("is not a tile path", ex.Message);
    }

    [Fact]
    public void RandomTilesRoundTrip()
    {
        var random = new Random(6962);
        for (var i = 0; i < 2000; i++)
        {
            var index = (ulong)random.NextInt64() >> random.Next(0, 63);
            var width = random.Next(1, 257);
            var tile = random.Next(4) == 0 ? TileId.Entries(index, width) : TileId.Hashes(random.Next(0, 64), index, width);
            Assert.Equal(tile, TilePath.Parse(tile.Path));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(64)]
    public void LevelOutOfRangeIsRejected(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TileId.Hashes(level, 0));

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void WidthOutOfRangeIsRejected(int width) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TileId.Hashes(0, 0, width));

    [Fact]
    public void SeventyThousandLeavesUseTheTilesTheSpecLists()
    {
        // The C2SP example: 273 full level-0 tiles, a level-0 partial of width 112, one full
        // level-1 tile, a level-1 partial of width 17 and a level-2 partial of width 1.
        var tiles = TreeTiles.All(new TreeSize(70_000)).ToList();
        Assert.Equal(273, tiles.Count(t => t.Level == 0 && !t.IsPartial));
        Assert.Equal(TileId.Hashes(0, 273, 112), Assert.Single(tiles, t => t.Level == 0 && t.IsPartial));
        Assert.Equal(TileId.Hashes(1, 0), Assert.Single(tiles, t => t.Level == 1 && !t.IsPartial));
        Assert.Equal(TileId.Hashes(1, 1, 17), Assert.Single(tiles, t => t.Level == 1 && t.IsPartial));
        Assert.Equal(TileId.Hashes(2, 0, 1), Assert.Single(tiles, t => t.Level == 2));
        Assert.Equal(277, tiles.Count);
        Assert.Equal([TileId.Hashes(0, 0), TileId.Hashes(1, 0, 1)], TreeTiles.All(new TreeSize(256)));
        Assert.Empty(TreeTiles.All(TreeSize.Empty));
    }
}
