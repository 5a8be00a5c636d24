using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests;

public sealed class ObjectMetadataTests
{
    [Theory]
    [InlineData("text/plain\r\nX-Evil: 1", null)]
    [InlineData(null, "max-age=1\n")]
    [InlineData("", null)]
    public async Task Values_that_cannot_travel_as_headers_are_refused_before_writing(string? contentType, string? cacheControl)
    {
        using var folder = new TempFolder();
        await using var store = ObjectStores.Open("file://" + folder.Path);
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenWriteAsync("k", new ObjectMetadata(contentType, cacheControl)));
        Assert.False(await store.ExistsAsync("k"));
    }
}
