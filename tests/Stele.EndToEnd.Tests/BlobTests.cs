using Stele.Client;
using Stele.Domain.Content;

namespace Stele.EndToEnd.Tests;

/// <summary>An entry above the 64 KiB inline limit, through the real server: stored as a blob, folded, published, verified.</summary>
public sealed class BlobTests
{
    [Theory]
    [InlineData(StorageKind.S3)]
    [InlineData(StorageKind.Directory)]
    public async Task A_large_entry_is_published_as_a_blob_and_the_log_verifies(StorageKind kind)
    {
        await using var board = new EndToEndBoard(kind);
        await board.StartServerAsync();
        using var client = board.NewClient();
        using var keys = await board.RegisterAsync(client);
        var content = new byte[3 << 20];
        Random.Shared.NextBytes(content);

        var result = await client.SubmitAsync(keys, new MemoryStream(content), MediaType.OctetStream, new SubmitOptions(WaitForInclusion: TimeSpan.FromSeconds(60)));

        Assert.True(result.Included is not null, $"{result.Status.State} {result.Status.Reason}");
        var log = await board.VerifyAsync();
        Assert.Equal(1, log.Blobs);
        Assert.Equal(content.Length, log.BlobBytes);
    }
}
