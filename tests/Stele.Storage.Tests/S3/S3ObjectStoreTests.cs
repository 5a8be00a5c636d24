using Amazon.Runtime;
using Stele.Storage.S3;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.S3;

/// <summary>What only the S3 store promises, against s3rver in a fresh bucket.</summary>
public sealed class S3ObjectStoreTests : IAsyncLifetime
{
    private static readonly ObjectMetadata Tile = new("application/octet-stream", "public, max-age=31536000, immutable");
    private static readonly S3ObjectStoreOptions SmallParts = new() { PartSize = S3ObjectStoreOptions.MinPartSize };

    private readonly string _bucket = S3TestBucket.NewName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => S3TestBucket.DeleteAsync(_bucket);

    [Fact]
    public async Task Stores_under_different_prefixes_of_one_bucket_do_not_see_each_other()
    {
        await using var board = await S3TestBucket.CreateStoreAsync(_bucket, "board");
        await using var board2 = await S3TestBucket.CreateStoreAsync(_bucket, "board2/");
        await using var whole = await S3TestBucket.CreateStoreAsync(_bucket);

        await board.PutBytesAsync("checkpoint", Bytes.Pattern(3, 1), Tile);
        await board2.PutBytesAsync("checkpoint", Bytes.Pattern(5, 2), Tile);

        Assert.Equal($"s3://{_bucket}/board", board.Location);
        Assert.Equal("board2", board2.Prefix);
        Assert.Equal(3, (await board.HeadAsync("checkpoint"))!.Size);
        Assert.Equal(5, (await board2.HeadAsync("checkpoint"))!.Size);
        Assert.Equal(["checkpoint"], await KeysAsync(board));
        Assert.Equal(["board/checkpoint", "board2/checkpoint"], await KeysAsync(whole));

        await board.DeleteAsync("checkpoint");
        Assert.NotNull(await board2.HeadAsync("checkpoint"));
    }

    [Fact]
    public async Task Bodies_larger_than_a_part_go_up_as_multipart_and_smaller_ones_in_one_put()
    {
        await using var store = await S3TestBucket.CreateStoreAsync(_bucket, "p", SmallParts);
        var requests = new List<string>();
        store.Client.BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs web) lock (requests) requests.Add(web.Request.GetType().Name);
        };

        var large = Bytes.Pattern(2 * S3ObjectStoreOptions.MinPartSize + 10, seed: 5);
        await store.PutAsync("large", new MemoryStream(large), Tile);
        Assert.Equal(["InitiateMultipartUploadRequest", "UploadPartRequest", "UploadPartRequest", "UploadPartRequest",
            "CompleteMultipartUploadRequest"], requests);

        requests.Clear();
        await store.PutBytesAsync("exact", Bytes.Pattern(S3ObjectStoreOptions.MinPartSize), Tile);
        Assert.Equal(["PutObjectRequest"], requests);

        var largeHead = await store.HeadAsync("large");
        Assert.Equal(Tile, largeHead!.Metadata); // metadata set on the multipart upload too
        Assert.Equal(large, await store.GetBytesAsync("large"));
    }

    [Fact]
    public async Task Bodies_are_stored_without_aws_chunked_framing()
    {
        await using var store = await S3TestBucket.CreateStoreAsync(_bucket);
        var body = Bytes.Pattern(70_000);
        await store.PutBytesAsync("raw", body, Tile);

        // Read with the bare SDK client, bypassing the store's read path.
        using var response = await store.Client.GetObjectAsync(_bucket, "raw");
        var back = new MemoryStream();
        await response.ResponseStream.CopyToAsync(back);
        Assert.Equal(body.Length, response.ContentLength);
        Assert.Equal(body, back.ToArray());
    }

    [Fact]
    public async Task A_missing_bucket_is_an_error_not_a_missing_object()
    {
        await using var store = new S3ObjectStore(S3TestBucket.Settings, S3TestBucket.NewName(), "x");
        var get = await Assert.ThrowsAsync<ObjectStoreException>(() => store.GetAsync("k"));
        Assert.IsNotType<ObjectNotFoundException>(get);
        Assert.Contains("NoSuchBucket", get.Message);
        var list = await Assert.ThrowsAsync<ObjectStoreException>(async () => await store.ListAsync().ToListAsync());
        Assert.Contains("NoSuchBucket", list.Message);
        Assert.DoesNotContain('\n', list.Message);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_clear_error()
    {
        var port = FreePort();
        var settings = S3Settings.ForS3rver(new Uri($"http://127.0.0.1:{port}"));
        await using var store = new S3ObjectStore(settings, "bucket");
        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => store.HeadAsync("k"));
        Assert.Contains("reachable", error.Message);
    }

    [Fact]
    public async Task Keys_that_overflow_the_S3_limit_with_the_prefix_are_refused()
    {
        var prefix = string.Join('/', Enumerable.Repeat(new string('p', 100), 3));
        await using var store = await S3TestBucket.CreateStoreAsync(_bucket, prefix);
        var key = string.Join('/', Enumerable.Repeat(new string('k', 200), 4)); // valid on its own: 803 bytes
        Assert.True(ObjectKey.IsValid(key));
        var error = await Assert.ThrowsAsync<InvalidObjectKeyException>(() => store.PutBytesAsync(key, new byte[1], Tile));
        Assert.Contains("1024", error.Message);
    }

    private static async Task<List<string>> KeysAsync(IObjectStore store) =>
        (await store.ListAsync().ToListAsync()).Select(o => o.Key).ToList();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
