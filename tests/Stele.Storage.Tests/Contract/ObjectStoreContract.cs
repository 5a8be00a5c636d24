using System.Security.Cryptography;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="IObjectStore"/> must do, run against each backend by a subclass naming
/// the backend; every test gets a fresh, empty store. (The 200 MB test is in
/// <see cref="LargeObjectContract{TBackend}"/>, which runs alone.)
/// </summary>
public abstract class ObjectStoreContract<TBackend> : StoreTestBase<TBackend>
    where TBackend : IStoreBackend, new()
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(1_000_003)]
    [InlineData(6 * 1024 * 1024 + 7)] // more than one 5 MiB part on S3
    public async Task Put_then_get_returns_the_same_bytes(int size)
    {
        var body = Bytes.Pattern(size, seed: size);
        await Store.PutAsync("data/object.bin", new MemoryStream(body), Tile);

        await using var read = await Store.GetAsync("data/object.bin");
        Assert.Equal(size, read.Properties.Size);
        var back = new MemoryStream();
        await read.CopyToAsync(back);
        Assert.Equal(body, back.ToArray());
    }

    [Fact]
    public async Task Missing_object_is_a_distinct_outcome_everywhere()
    {
        await Store.PutBytesAsync("present", "x"u8.ToArray(), Tile);

        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.GetAsync("absent"));
        Assert.Equal("absent", error.Key);
        Assert.Contains(Store.Location, error.Message);
        Assert.Null(await Store.TryGetAsync("absent"));
        Assert.Null(await Store.HeadAsync("absent"));
        Assert.False(await Store.ExistsAsync("absent"));
        Assert.Null(await Store.HeadAsync("present/child"));
        Assert.Null(await Store.TryGetAsync("present/child"));
        Assert.Null(await Store.TryGetAsync("pres"));
    }

    [Fact]
    public async Task Head_and_get_report_size_content_type_and_cache_control()
    {
        var metadata = new ObjectMetadata("application/vnd.stele.tile", "public, max-age=60");
        await Store.PutBytesAsync("tile/0/x001", Bytes.Pattern(1234), metadata);

        var head = await Store.HeadAsync("tile/0/x001");
        Assert.NotNull(head);
        Assert.Equal("tile/0/x001", head.Key);
        Assert.Equal(1234, head.Size);
        Assert.Equal(metadata, head.Metadata);

        await using var read = await Store.GetAsync("tile/0/x001");
        Assert.Equal(1234, read.Properties.Size);
        Assert.Equal(metadata, read.Properties.Metadata);
    }

    [Fact]
    public async Task Put_without_cache_control_reads_back_none()
    {
        await Store.PutBytesAsync("plain", Bytes.Pattern(10), new ObjectMetadata("text/plain"));
        var head = await Store.HeadAsync("plain");
        Assert.NotNull(head);
        Assert.Equal("text/plain", head.Metadata.ContentType);
        Assert.Null(head.Metadata.CacheControl);
    }

    [Fact]
    public async Task Put_overwrites_body_and_metadata()
    {
        await Store.PutBytesAsync("payload/000", Bytes.Pattern(5000, seed: 1), new ObjectMetadata("application/octet-stream", "no-cache"));
        var second = Bytes.Pattern(300, seed: 2);
        await Store.PutBytesAsync("payload/000", second, new ObjectMetadata("application/json", "max-age=5"));

        Assert.Equal(second, await Store.GetBytesAsync("payload/000"));
        var head = await Store.HeadAsync("payload/000");
        Assert.Equal(new ObjectProperties("payload/000", 300, new ObjectMetadata("application/json", "max-age=5")), head);
        Assert.Single(await ListAllAsync("payload/"));
    }

    [Fact]
    public async Task Delete_removes_the_object_and_is_idempotent()
    {
        await Store.PutBytesAsync("a/b/c", Bytes.Pattern(10), Tile);
        await Store.PutBytesAsync("a/b/d", Bytes.Pattern(10), Tile);

        await Store.DeleteAsync("a/b/c");
        await Store.DeleteAsync("a/b/c");
        await Store.DeleteAsync("never/was");

        Assert.Null(await Store.HeadAsync("a/b/c"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.GetAsync("a/b/c"));
        Assert.Equal(["a/b/d"], (await ListAllAsync()).Select(o => o.Key));
    }

    [Fact]
    public async Task List_returns_the_keys_under_a_prefix_in_byte_order_with_sizes()
    {
        // 'a-b' < 'a/…' < 'a0' byte-wise: a folder must sort as "a/", not as "a".
        string[] keys = ["b", "a0", "ab", "a/b0", "a/b/c", "a/c", "\u00e9t\u00e9", "z", "a/\u00e9", "a/Z", "a/bc"];
        if (Backend.OrdersKeysAroundSeparatorByBytes) keys = [.. keys, "a-b", "a/b-c"];
        foreach (var key in keys) await Store.PutBytesAsync(key, Bytes.Pattern(key.Length), Tile);

        var all = await ListAllAsync();
        Assert.Equal(keys.Order(KeyOrder.Instance), all.Select(o => o.Key));
        Assert.All(all, o => Assert.Equal(o.Key.Length, o.Size));

        Assert.Equal(keys.Where(k => k.StartsWith("a/", StringComparison.Ordinal)).Order(KeyOrder.Instance),
            (await ListAllAsync("a/")).Select(o => o.Key));
        Assert.Equal(keys.Where(k => k.StartsWith('a')).Order(KeyOrder.Instance),
            (await ListAllAsync("a")).Select(o => o.Key));
        Assert.Equal(["a/b/c"], (await ListAllAsync("a/b/")).Select(o => o.Key));
        Assert.Equal(["a/b0"], (await ListAllAsync("a/b0")).Select(o => o.Key));
        Assert.Empty(await ListAllAsync("nothing/"));
        Assert.Empty(await ListAllAsync("a/b0/"));
    }

    [Fact]
    public async Task List_pages_through_thousands_of_keys_and_resumes_after_a_key()
    {
        var keys = Enumerable.Range(0, 2500).Select(i => $"entries/{i % 7}/{i:D5}").ToArray();
        await PutAllAsync(keys, i => Bytes.Pattern(i % 50 + 1, seed: i));
        await Store.PutBytesAsync("entriez", Bytes.Pattern(1), Tile); // shares the prefix "entri", not "entries/"

        var expected = keys.Order(KeyOrder.Instance).ToArray();
        var listed = await ListAllAsync("entries/");
        Assert.Equal(expected, listed.Select(o => o.Key));

        // Stop after 1000, resume after the last key seen: the two halves make the whole.
        var first = new List<string>();
        await foreach (var info in Store.ListAsync("entries/"))
        {
            first.Add(info.Key);
            if (first.Count == 1000) break;
        }
        var rest = await ListAllAsync("entries/", startAfter: first[^1]);
        Assert.Equal(expected, first.Concat(rest.Select(o => o.Key)));
    }

    [Fact]
    public async Task Start_after_need_not_be_an_existing_key()
    {
        string[] keys = ["k/1", "k/3", "k/5", "k/7"];
        foreach (var key in keys) await Store.PutBytesAsync(key, Bytes.Pattern(3), Tile);

        Assert.Equal(["k/5", "k/7"], (await ListAllAsync("k/", startAfter: "k/4")).Select(o => o.Key));
        Assert.Equal(keys, (await ListAllAsync("k/", startAfter: "a")).Select(o => o.Key));
        Assert.Equal(keys, (await ListAllAsync("k/", startAfter: "k")).Select(o => o.Key));
        Assert.Empty(await ListAllAsync("k/", startAfter: "k/7"));
        Assert.Empty(await ListAllAsync("", startAfter: "l"));
    }

    public static TheoryData<string> InvalidKeys() =>
    [
        "", "/abs", "trailing/", "a//b", "./a", "a/./b", "a/..", "../escape", "back\\slash",
        "tab\there", "new\nline", "nul\0", "del\u007f", new string('x', 256),
        string.Join('/', Enumerable.Repeat(new string('y', 200), 6)),
    ];

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Invalid_keys_are_refused_by_every_operation(string key)
    {
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(key, new MemoryStream([1]), Tile));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.GetAsync(key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.TryGetAsync(key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.HeadAsync(key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.DeleteAsync(key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.OpenWriteAsync(key, Tile));
        Assert.Empty(await ListAllAsync());
    }

    [Fact]
    public async Task Keys_with_a_lone_surrogate_are_refused()
    {
        // Not a theory: xunit's serialization of theory data would repair the broken string.
        var key = "lone" + '\ud800' + "surrogate";
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(key, new MemoryStream([1]), Tile));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.HeadAsync(key));
    }

    [Theory]
    [InlineData("/a")]
    [InlineData("a//b")]
    [InlineData("a/../b")]
    [InlineData("back\\slash")]
    public async Task Invalid_list_prefixes_are_refused(string prefix)
    {
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => ListAllAsync(prefix));
    }

    [Fact]
    public async Task Streaming_write_in_uneven_chunks_round_trips()
    {
        var body = Bytes.Pattern(12 * 1024 * 1024 + 12345, seed: 7); // three 5 MiB parts on S3
        await using (var writer = await Store.OpenWriteAsync("blob/large", Tile))
        {
            int offset = 0;
            var random = new Random(3);
            while (offset < body.Length)
            {
                int n = Math.Min(random.Next(1, 3_000_000), body.Length - offset);
                if (random.Next(2) == 0) writer.Write(body, offset, n); // synchronous writes must work too
                else await writer.WriteAsync(body.AsMemory(offset, n));
                offset += n;
            }
            Assert.Null(await Store.HeadAsync("blob/large")); // nothing visible before completion
            await writer.CompleteAsync();
            Assert.True(writer.IsCompleted);
            Assert.Equal(body.Length, writer.Length);
        }

        var back = await Store.GetBytesAsync("blob/large");
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(back));
        await Backend.AssertNoUnfinishedWritesAsync(Store);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(7 * 1024 * 1024)] // past the first part: on S3 a multipart upload is under way
    public async Task Streaming_write_disposed_without_completing_leaves_nothing(int size)
    {
        await using (var writer = await Store.OpenWriteAsync("blob/abandoned", Tile))
        {
            await writer.WriteAsync(Bytes.Pattern(size));
        }
        Assert.Null(await Store.HeadAsync("blob/abandoned"));
        Assert.Empty(await ListAllAsync());
        await Backend.AssertNoUnfinishedWritesAsync(Store);
    }

    [Fact]
    public async Task Aborted_write_keeps_the_previous_object_and_refuses_more_writes()
    {
        var original = Bytes.Pattern(77, seed: 77);
        await Store.PutBytesAsync("payload/001", original, Tile);

        var writer = await Store.OpenWriteAsync("payload/001", new ObjectMetadata("text/plain"));
        await writer.WriteAsync(Bytes.Pattern(1000));
        await writer.AbortAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(new byte[1]).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync());
        await writer.DisposeAsync();

        Assert.Equal(original, await Store.GetBytesAsync("payload/001"));
        Assert.Equal(Tile, (await Store.HeadAsync("payload/001"))!.Metadata);
        await Backend.AssertNoUnfinishedWritesAsync(Store);
    }

    [Fact]
    public async Task Completed_write_refuses_more_writes()
    {
        await using var writer = await Store.OpenWriteAsync("done", Tile);
        await writer.WriteAsync(Bytes.Pattern(5));
        await writer.CompleteAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(new byte[1]).AsTask());
        Assert.Equal(5, (await Store.HeadAsync("done"))!.Size);
    }

    [Fact]
    public async Task Readers_of_an_object_see_the_old_body_until_an_overwrite_completes()
    {
        var old = Bytes.Pattern(1000, seed: 1);
        var updated = Bytes.Pattern(2000, seed: 2);
        await Store.PutBytesAsync("checkpoint", old, Tile);

        await using var writer = await Store.OpenWriteAsync("checkpoint", Tile);
        await writer.WriteAsync(updated);
        Assert.Equal(old, await Store.GetBytesAsync("checkpoint"));
        await writer.CompleteAsync();
        Assert.Equal(updated, await Store.GetBytesAsync("checkpoint"));
    }

    [Fact]
    public async Task Reads_racing_overwrites_of_one_key_always_see_one_whole_version()
    {
        // S3 replaces an object atomically; a store (or test server) that rewrites in place lets a
        // reader see a mix of two versions, or bytes that fail their own integrity check.
        byte[][] versions = [Bytes.Pattern(150_000, seed: 1), Bytes.Pattern(210_000, seed: 2), Bytes.Pattern(90_000, seed: 3)];
        await Store.PutBytesAsync("checkpoint", versions[0], Tile);
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var i = w; !stop.IsCancellationRequested; i++) await Store.PutBytesAsync("checkpoint", versions[i % versions.Length], Tile);
        })).ToList();
        var torn = 0;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 240), new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (_, ct) =>
            {
                var read = await Store.GetBytesAsync("checkpoint", ct);
                if (!versions.Any(v => v.AsSpan().SequenceEqual(read))) Interlocked.Increment(ref torn);
            });
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        Assert.Equal(0, torn);
    }

    protected async Task<List<ObjectInfo>> ListAllAsync(string prefix = "", string? startAfter = null)
    {
        var all = new List<ObjectInfo>();
        await foreach (var info in Store.ListAsync(prefix, startAfter)) all.Add(info);
        return all;
    }

    private async Task PutAllAsync(string[] keys, Func<int, byte[]> body)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await Store.PutBytesAsync(keys[i], body(i), Tile, ct));
    }
}
