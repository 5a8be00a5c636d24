using System.Net;
using System.Net.Sockets;
using System.Text;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Domain.Payloads;

namespace Stele.Api.Tests;

/// <summary>POST /v1/entries on directory storage; <see cref="EntryTestsOnS3"/> runs every test again on s3rver.</summary>
/// <remarks>One collection: the 50 MB test measures process-wide allocations, so the two must not run at once.</remarks>
[Collection(nameof(EntryTests))]
public class EntryTests : RegisteredClientTests
{
    /// <summary>True to store objects in an s3rver bucket (multipart blob uploads) instead of a directory.</summary>
    protected virtual bool OnS3 => false;

    protected override Task<BoardFixture> StartBoardAsync() => BoardFixture.StartAsync(s3: OnS3, maxEntrySize: 200L << 20);

    [Fact]
    public async Task A_small_entry_is_one_event_in_the_clients_stream_plus_its_inline_opening()
    {
        var content = Encoding.UTF8.GetBytes("ballot: yes");
        var result = await Client.SubmitAsync(Keys, content, new MediaType("text/plain"));

        Assert.Equal(EntryState.Pending, result.Status.State);
        Assert.Equal(1, await Board.ScalarAsync(
            "SELECT count(*) FROM stele.events WHERE stream_id = $1 AND event_type = 'EntrySubmitted'", $"client-{Keys.Client}"));
        var commitment = new byte[32];
        result.Descriptor.Commitment.CopyTo(commitment);
        Assert.Equal(1, await Board.ScalarAsync("SELECT count(*) FROM stele.contents WHERE commitment = $1 AND content = $2 AND blob_key IS NULL", commitment, content));
        Assert.Equal((long)result.Descriptor.Sequence, await Board.ScalarAsync("SELECT last_sequence FROM stele.client_sequences WHERE client_id = $1", unchecked((long)Keys.Client.Value)));
        Assert.Equal(0, (await Board.TraceAsync()).Blobs);

        var status = await Client.GetStatusAsync(Keys.Client, result.Descriptor.Sequence);
        Assert.Equal(EntryState.Pending, status.State);
    }

    [Fact]
    public async Task A_50_MB_entry_streams_to_its_blob_with_bounded_memory()
    {
        const int size = 50 << 20;
        var path = Path.Combine(Path.GetTempPath(), $"stele-api-big-{Guid.NewGuid():N}");
        var random = new Random(5);
        var chunk = new byte[1 << 20];
        await using (var file = File.Create(path))
        {
            for (var i = 0; i < size / chunk.Length; i++)
            {
                random.NextBytes(chunk);
                await file.WriteAsync(chunk);
            }
        }
        try
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var result = await Client.SubmitFileAsync(Keys, path, MediaType.OctetStream);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            // Client and server run in this process: neither may have buffered the body. The S3 backend
            // allocates a fresh buffer per multipart part (~0.7 byte per byte here, none held beyond its part).
            var bound = OnS3 ? size : size / 4;
            Assert.True(allocated < bound, $"allocated {allocated} bytes for a {size}-byte entry");

            var key = BlobPayload.KeyFor(result.Descriptor.Commitment);
            var properties = await Board.Storage.HeadAsync(key);
            Assert.NotNull(properties);
            Assert.Equal(size, properties.Size);
            Assert.Equal("public, max-age=31536000, immutable", properties.Metadata.CacheControl);
            await using (var stored = await Board.Storage.GetAsync(key))
            await using (var original = File.OpenRead(path))
            {
                Assert.Equal(await Sha(original), await Sha(stored));
            }
            var commitment = new byte[32];
            result.Descriptor.Commitment.CopyTo(commitment);
            Assert.Equal(1, await Board.ScalarAsync("SELECT count(*) FROM stele.contents WHERE commitment = $1 AND content IS NULL AND blob_key = $2 AND size = $3", commitment, key, (long)size));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_forged_signature_is_403_and_leaves_no_trace()
    {
        var entry = SignedEntry.Create(Keys, Board.Origin, new byte[100_000]);
        var forged = entry with { Signature = Flip(entry.Signature) };
        await AssertRefusedAsync(forged.ToRequest(), 403, "bad_signature");
    }

    [Fact]
    public async Task A_signature_for_another_board_is_403()
    {
        var entry = SignedEntry.Create(Keys, new Stele.Domain.Identity.LogOrigin("elsewhere.example/board"), "x"u8.ToArray());
        await AssertRefusedAsync(entry.ToRequest(), 403, "bad_signature");
    }

    [Fact]
    public async Task An_unknown_client_is_403_and_leaves_no_trace()
    {
        using var stranger = ClientKeys.Generate();
        var entry = SignedEntry.Create(stranger, Board.Origin, "hello"u8.ToArray());
        await AssertRefusedAsync(entry.ToRequest(), 403, "unknown_client");
    }

    [Fact]
    public async Task A_replayed_sequence_is_409_and_adds_nothing()
    {
        var first = SignedEntry.Create(Keys, Board.Origin, "first"u8.ToArray());
        using (var response = await Board.Http.SendAsync(first.ToRequest())) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var replay = SignedEntry.Create(Keys, Board.Origin, new byte[200_000], sequence: first.Sequence);
        await AssertRefusedAsync(replay.ToRequest(), 409, "replayed_sequence");
        var older = SignedEntry.Create(Keys, Board.Origin, "older"u8.ToArray(), sequence: first.Sequence - 1);
        await AssertRefusedAsync(older.ToRequest(), 409, "replayed_sequence");
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(300_000)]
    public async Task A_commitment_mismatch_is_400_and_leaves_no_blob(int size)
    {
        var entry = SignedEntry.Create(Keys, Board.Origin, new byte[size]);
        var tampered = new byte[size];
        tampered[^1] = 1;
        await AssertRefusedAsync(entry.ToRequest(tampered), 400, "commitment_mismatch");
    }

    [Fact]
    public async Task An_oversized_entry_is_413_before_the_body_is_read()
    {
        await using var board = await BoardFixture.StartAsync(s3: OnS3, maxEntrySize: 1000);
        using var client = board.NewClient();
        using var keys = await board.RegisterAndAdmitAsync(client);
        var before = await board.TraceAsync();
        var entry = SignedEntry.Create(keys, board.Origin, new byte[1001]);
        using var response = await board.Http.SendAsync(entry.ToRequest());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("\"code\":\"too_large\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await board.TraceAsync());
    }

    public static TheoryData<string, string> MalformedHeaders => new()
    {
        { "Stele-Client", "not-a-client-id" },
        { "Stele-Sequence", "-1" },
        { "Stele-Commitment", "abc" },
        { "Stele-Salt", new string('g', 64) },
        { "Stele-Signature", "" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public async Task Malformed_headers_are_400(string header, string value)
    {
        var entry = SignedEntry.Create(Keys, Board.Origin, "content"u8.ToArray());
        var request = entry.ToRequest();
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
        await AssertRefusedAsync(request, 400, "malformed");
    }

    [Fact]
    public async Task A_missing_header_and_a_bad_media_type_are_400()
    {
        var entry = SignedEntry.Create(Keys, Board.Origin, "content"u8.ToArray());
        var request = entry.ToRequest();
        request.Headers.Remove("Stele-Salt");
        await AssertRefusedAsync(request, 400, "malformed");
        var noType = entry.ToRequest();
        noType.Content!.Headers.Remove("Content-Type");
        await AssertRefusedAsync(noType, 400, "malformed");
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(400_000)]
    public async Task A_truncated_body_leaves_no_trace(int size)
    {
        var entry = SignedEntry.Create(Keys, Board.Origin, new byte[size]);
        var before = await Board.TraceAsync();
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(Board.BaseAddress.Host, Board.BaseAddress.Port);
            var stream = socket.GetStream();
            var head = new StringBuilder($"POST /v1/entries HTTP/1.1\r\nHost: {Board.BaseAddress.Authority}\r\nContent-Type: {entry.MediaType}\r\nContent-Length: {size}\r\n");
            foreach (var (name, value) in entry.Headers()) head.Append(name).Append(": ").Append(value).Append("\r\n");
            head.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            await stream.WriteAsync(entry.Content.AsMemory(0, size / 2));
            await stream.FlushAsync();
            await Task.Delay(200);
            socket.Client.Shutdown(SocketShutdown.Send);
            var reply = new byte[4096];
            try { _ = await stream.ReadAsync(reply).AsTask().WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception ex) when (ex is IOException or TimeoutException) { }
        }
        await Task.Delay(500); // let the server finish aborting
        Assert.Equal(before, await Board.TraceAsync()); // on S3 too: an aborted multipart upload leaves no object
        if (Board.Directory is { } directory)
            Assert.DoesNotContain(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories), f => f.Contains("blob", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Waiting_without_a_fold_times_out_with_202_and_the_status_url()
    {
        var entry = SignedEntry.Create(Keys, Board.Origin, "wait for me"u8.ToArray());
        using var response = await Board.Http.SendAsync(entry.ToRequest(query: "?wait=0.2"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains($"\"status_url\":\"/v1/entries/{Keys.Client}/{entry.Sequence}\"", body);
        Assert.Contains("\"status\":\"pending\"", body);
    }

    private Task AssertRefusedAsync(HttpRequestMessage request, int status, string code) => Board.AssertRefusedAsync(request, status, code);

    private static string Flip(string hex) => (hex[0] == '0' ? '1' : '0') + hex[1..];

    private static async Task<string> Sha(Stream stream) => Convert.ToHexString(await System.Security.Cryptography.SHA256.HashDataAsync(stream));
}

/// <summary>Every <see cref="EntryTests"/> test against s3rver object storage (blobs through multipart upload).</summary>
[Collection(nameof(EntryTests))]
public sealed class EntryTestsOnS3 : EntryTests
{
    protected override bool OnS3 => true;
}

/// <summary>
/// The bounded-memory test counts every allocation in the process, so this collection also runs alone,
/// after the parallel ones: another class's requests would otherwise be counted against it.
/// </summary>
[CollectionDefinition(nameof(EntryTests), DisableParallelization = true)]
public sealed class EntryTestsCollection;
