using Stele.Storage.Local;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Local;

/// <summary>What only the directory store promises: plain files, hidden temp files, crash leftovers, key clashes.</summary>
public sealed class DirectoryObjectStoreTests : IDisposable
{
    private static readonly ObjectMetadata Tile = new("application/octet-stream", "public, max-age=31536000, immutable");

    private readonly TempFolder _folder = new();
    private readonly string _root;
    private readonly DirectoryObjectStore _store;

    public DirectoryObjectStoreTests()
    {
        _root = Path.Combine(_folder.Path, "board");
        _store = new DirectoryObjectStore(_root);
    }

    public void Dispose() => _folder.Dispose();

    private string TempFolder => Path.Combine(_root, ".stele-store", "tmp");

    [Fact]
    public async Task A_grouped_store_shows_writes_and_deletes_at_once_and_flushes_them_in_one_call()
    {
        var grouped = new DirectoryObjectStore(Path.Combine(_folder.Path, "grouped"), DirectoryDurability.Grouped);
        Assert.Equal(OperatingSystem.IsLinux() ? DirectoryDurability.Grouped : DirectoryDurability.PerObject, grouped.Durability);
        var body = Bytes.Pattern(4096);
        await grouped.PutBytesAsync("tile/0/000", body, Tile);
        await grouped.PutBytesAsync("checkpoint", Bytes.Pattern(7), ObjectMetadata.None);
        await grouped.DeleteAsync("checkpoint");
        Assert.Equal(body, await grouped.GetBytesAsync("tile/0/000"));
        Assert.Null(await grouped.HeadAsync("checkpoint"));
        await ((IDeferredDurability)grouped).FlushAsync(); // one syncfs; it must not fail
        await ((IDeferredDurability)_store).FlushAsync(); // per object: nothing left to flush
        Assert.Equal(DirectoryDurability.PerObject, _store.Durability);
        await Assert.ThrowsAsync<OperationCanceledException>(() => grouped.FlushAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Objects_are_plain_files_at_their_key_paths()
    {
        var body = Bytes.Pattern(321);
        await _store.PutBytesAsync("tile/0/x001/234", body, Tile);

        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(_root, "tile", "0", "x001", "234")));
        Assert.Equal($"file://{_root}", _store.Location);
    }

    [Fact]
    public async Task Metadata_lives_in_a_sidecar_that_follows_the_object()
    {
        var sidecar = Path.Combine(_root, ".stele-store", "meta", "tile", "7");
        await _store.PutBytesAsync("tile/7", Bytes.Pattern(10), Tile);
        Assert.Equal("Content-Type: application/octet-stream\nCache-Control: public, max-age=31536000, immutable\n", File.ReadAllText(sidecar));

        await _store.PutBytesAsync("tile/7", Bytes.Pattern(10), ObjectMetadata.None);
        Assert.False(File.Exists(sidecar));
        Assert.Equal(ObjectMetadata.None, (await _store.HeadAsync("tile/7"))!.Metadata);

        await _store.PutBytesAsync("tile/7", Bytes.Pattern(10), Tile);
        await _store.DeleteAsync("tile/7");
        Assert.False(File.Exists(sidecar));
    }

    [Fact]
    public async Task Sidecars_with_the_same_text_are_one_shared_file_and_a_put_replaces_only_its_own()
    {
        if (!OperatingSystem.IsLinux()) return; // hard-linked sidecars need link(2); elsewhere each sidecar is a copy
        var tileA = Path.Combine(_root, ".stele-store", "meta", "tile", "a");
        var tileB = Path.Combine(_root, ".stele-store", "meta", "tile", "b");
        await _store.PutBytesAsync("tile/a", Bytes.Pattern(10), Tile);
        await _store.PutBytesAsync("tile/b", Bytes.Pattern(11), Tile);
        var text = File.ReadAllText(tileA);
        Assert.Equal(text, File.ReadAllText(tileB));
        var shared = Assert.Single(Directory.GetFiles(Path.Combine(_root, ".stele-store", "shared")));
        Assert.Equal(text, File.ReadAllText(shared));

        // One file under three names: bytes written through one name show through the others.
        File.AppendAllText(shared, "X-Probe: 1\n");
        Assert.EndsWith("X-Probe: 1\n", File.ReadAllText(tileA), StringComparison.Ordinal);
        Assert.EndsWith("X-Probe: 1\n", File.ReadAllText(tileB), StringComparison.Ordinal);

        // A put with other metadata renames a new sidecar over its own name only.
        var other = new ObjectMetadata("text/plain; charset=utf-8", "no-cache");
        await _store.PutBytesAsync("tile/a", Bytes.Pattern(12), other);
        Assert.Equal(other, (await _store.HeadAsync("tile/a"))!.Metadata);
        Assert.EndsWith("X-Probe: 1\n", File.ReadAllText(tileB), StringComparison.Ordinal);

        // A store opened later finds the altered shared file and writes a correct one for new sidecars.
        var reopened = new DirectoryObjectStore(_root);
        await reopened.PutBytesAsync("tile/c", Bytes.Pattern(13), Tile);
        Assert.Equal(Tile, (await reopened.HeadAsync("tile/c"))!.Metadata);
        Assert.Equal(text, File.ReadAllText(Path.Combine(_root, ".stele-store", "meta", "tile", "c")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(TempFolder));
    }

    [Fact]
    public async Task An_unfinished_write_is_invisible_and_lives_only_in_the_temp_folder()
    {
        await using var writer = await _store.OpenWriteAsync("checkpoint", Tile);
        await writer.WriteAsync(Bytes.Pattern(4000));

        Assert.Single(Directory.GetFiles(TempFolder));
        Assert.Empty(await ListAsync(""));
        Assert.False(File.Exists(Path.Combine(_root, "checkpoint")));

        await writer.CompleteAsync();
        Assert.Empty(Directory.GetFiles(TempFolder));
        Assert.Equal(["checkpoint"], (await ListAsync("")).Select(o => o.Key));
    }

    [Fact]
    public async Task Old_crash_leftovers_are_removed_on_open_and_fresh_temp_files_are_kept()
    {
        var stale = Path.Combine(TempFolder, "deadbeef.tmp");
        var fresh = Path.Combine(TempFolder, "cafebabe.tmp");
        await File.WriteAllBytesAsync(stale, Bytes.Pattern(100));
        await File.WriteAllBytesAsync(fresh, Bytes.Pattern(100));
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - DirectoryObjectStore.AbandonedTempFileAge - TimeSpan.FromMinutes(1));

        var reopened = new DirectoryObjectStore(_root);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh)); // may belong to a writer in another process
        Assert.Empty(await ListAsync("", reopened));
    }

    [Fact]
    public async Task The_reserved_folder_is_neither_listed_nor_addressable()
    {
        await _store.PutBytesAsync(".stele-storefront", Bytes.Pattern(1), Tile); // only the exact segment is reserved
        Assert.Equal([".stele-storefront"], (await ListAsync("")).Select(o => o.Key));
        Assert.Empty(await ListAsync(".stele-store/"));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => _store.HeadAsync(".stele-store/meta/x"));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => _store.PutBytesAsync(".stele-store", new byte[1], Tile));
    }

    [Fact]
    public async Task A_key_cannot_be_both_an_object_and_a_folder()
    {
        await _store.PutBytesAsync("a", Bytes.Pattern(1), Tile);
        var under = await Assert.ThrowsAsync<ObjectKeyConflictException>(() => _store.PutBytesAsync("a/b", Bytes.Pattern(1), Tile));
        Assert.Contains("'a' is an object", under.Message);

        await _store.PutBytesAsync("x/y", Bytes.Pattern(1), Tile);
        var over = await Assert.ThrowsAsync<ObjectKeyConflictException>(() => _store.PutBytesAsync("x", Bytes.Pattern(1), Tile));
        Assert.Contains("'x/' already holds other objects", over.Message);
        Assert.Null(await _store.HeadAsync("x"));
        Assert.Null(await _store.TryGetAsync("x"));
    }

    [Fact]
    public async Task A_clash_that_arises_during_a_write_fails_its_completion_and_cleans_up()
    {
        await using var writer = await _store.OpenWriteAsync("late", Tile);
        await writer.WriteAsync(Bytes.Pattern(1000));
        await _store.PutBytesAsync("late/child", Bytes.Pattern(1), Tile);

        await Assert.ThrowsAsync<ObjectKeyConflictException>(() => writer.CompleteAsync());
        Assert.False(writer.IsCompleted);
        Assert.Empty(Directory.GetFiles(TempFolder));
        Assert.Equal(["late/child"], (await ListAsync("")).Select(o => o.Key));
    }

    [Fact]
    public async Task Deleting_the_last_object_of_a_folder_removes_the_folder()
    {
        await _store.PutBytesAsync("a/b/c", Bytes.Pattern(1), Tile);
        await _store.PutBytesAsync("a/keep", Bytes.Pattern(1), Tile);

        await _store.DeleteAsync("a/b/c");
        Assert.False(Directory.Exists(Path.Combine(_root, "a", "b")));
        Assert.True(Directory.Exists(Path.Combine(_root, "a")));

        await _store.PutBytesAsync("a/b", Bytes.Pattern(2), Tile); // the folder is gone, so the name is free
        Assert.Equal(2, (await _store.HeadAsync("a/b"))!.Size);
    }

    [Fact]
    public async Task Files_no_key_could_name_are_skipped_by_listings()
    {
        await _store.PutBytesAsync("good", Bytes.Pattern(1), Tile);
        await File.WriteAllBytesAsync(Path.Combine(_root, "bad\\name"), [1]);
        await File.WriteAllBytesAsync(Path.Combine(_root, "tab\tname"), [1]);

        Assert.Equal(["good"], (await ListAsync("")).Select(o => o.Key));
    }

    [Fact]
    public async Task Listing_descends_only_where_the_prefix_can_match()
    {
        await _store.PutBytesAsync("tile/0/x001/000", Bytes.Pattern(1), Tile);
        await _store.PutBytesAsync("tile/0/x002", Bytes.Pattern(1), Tile);
        await _store.PutBytesAsync("tile/1/000", Bytes.Pattern(1), Tile);
        await _store.PutBytesAsync("tile/entries/000", Bytes.Pattern(1), Tile);

        Assert.Equal(["tile/0/x001/000", "tile/0/x002"], (await ListAsync("tile/0/x")).Select(o => o.Key));
        Assert.Equal(["tile/0/x002", "tile/1/000", "tile/entries/000"],
            (await ListAsync("tile/", startAfter: "tile/0/x001/000")).Select(o => o.Key));
        Assert.Equal(["tile/entries/000"], (await ListAsync("tile/", startAfter: "tile/1/000")).Select(o => o.Key));
        Assert.Empty(await ListAsync("tile/2/"));
    }

    [Fact]
    public async Task Concurrent_overwrites_of_one_key_leave_one_complete_body()
    {
        var bodies = Enumerable.Range(0, 8).Select(i => Bytes.Pattern(50_000 + i, seed: i)).ToArray();
        await Parallel.ForEachAsync(bodies, async (body, ct) => await _store.PutBytesAsync("checkpoint", body, Tile, ct));

        var final = await _store.GetBytesAsync("checkpoint");
        Assert.Contains(bodies, b => b.AsSpan().SequenceEqual(final));
        Assert.Empty(Directory.GetFiles(TempFolder));
    }

    [Fact]
    public async Task A_reader_opened_before_an_overwrite_keeps_reading_the_old_bytes()
    {
        var old = Bytes.Pattern(100_000, seed: 1);
        await _store.PutBytesAsync("payload/000", old, Tile);
        await using var reader = await _store.GetAsync("payload/000");
        var head = new byte[10];
        await reader.ReadExactlyAsync(head);

        await _store.PutBytesAsync("payload/000", Bytes.Pattern(5, seed: 2), Tile);

        var rest = new MemoryStream();
        await reader.CopyToAsync(rest);
        Assert.Equal(old, head.Concat(rest.ToArray()));
        Assert.Equal(5, (await _store.HeadAsync("payload/000"))!.Size);
    }

    [Fact]
    public void A_root_that_is_a_file_is_refused()
    {
        var file = Path.Combine(_folder.Path, "file");
        File.WriteAllBytes(file, [1]);
        var error = Assert.Throws<ObjectStoreException>(() => new DirectoryObjectStore(file));
        Assert.Contains("is a file", error.Message);
    }

    private async Task<List<ObjectInfo>> ListAsync(string prefix, IObjectStore? store = null, string? startAfter = null)
    {
        var all = new List<ObjectInfo>();
        await foreach (var info in (store ?? _store).ListAsync(prefix, startAfter)) all.Add(info);
        return all;
    }
}
