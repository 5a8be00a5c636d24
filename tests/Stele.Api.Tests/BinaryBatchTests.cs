using System.Buffers.Binary;
using System.Net;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Domain.Records;
using Stele.Projections.Daemon;

namespace Stele.Api.Tests;

/// <summary>
/// POST /v1/batches with the binary body (docs/http-api.md, "Binary batch body"): accepted batches are
/// one event and ONE packed openings row whose bytes are the ones sent; waiting answers with every
/// entry's proof, verified by the client; truncated, oversized, malformed, forged and replayed bodies
/// are refused with their code and leave no trace.
/// </summary>
public sealed class BinaryBatchTests : RegisteredClientTests
{
    private const long MaxBody = 1 << 20;

    protected override Task<BoardFixture> StartBoardAsync() => BoardFixture.StartAsync(maxBatchBodySize: MaxBody);

    private SignedBinaryBatch Batch(int count, int size = 10, ulong? first = null) =>
        SignedBinaryBatch.Create(Keys, Board.Origin, [.. Enumerable.Range(0, count).Select(i => Enumerable.Range(0, size).Select(j => (byte)(i * 31 + j)).ToArray())], first);

    [Fact]
    public async Task A_binary_batch_is_one_event_and_one_packed_row_holding_exactly_the_bytes_sent()
    {
        var batch = SignedBinaryBatch.Create(Keys, Board.Origin, [[], "yes"u8.ToArray(), new byte[PackedOpenings.MaxContentLength], "no"u8.ToArray()]);
        using (var response = await Board.Http.SendAsync(batch.ToRequest()))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        Assert.Equal(1, await Board.ScalarAsync("SELECT count(*) FROM stele.events WHERE event_type = 'BatchSubmitted'"));
        Assert.Equal(0, (await Board.TraceAsync()).Contents);
        Assert.Equal((long)batch.Entries[^1].Sequence, await Board.ScalarAsync("SELECT last_sequence FROM stele.client_sequences WHERE client_id = $1", unchecked((long)Keys.Client.Value)));
        await using var command = Board.Database.CreateCommand(
            "SELECT p.commitments, p.openings FROM stele.packed_openings p JOIN stele.events e ON e.position = p.position WHERE e.event_type = 'BatchSubmitted'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var stored = PackedOpenings.Unpack(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1));
        Assert.Equal(batch.Entries.Length, stored.Length);
        for (var i = 0; i < stored.Length; i++)
        {
            Assert.Equal(batch.Entries[i].Salt.ToArray(), stored[i].Salt.ToArray());
            Assert.Equal(batch.Entries[i].Content.ToArray(), stored[i].Content.ToArray());
            Assert.Equal(Commitment.Compute(Salt.FromBytes(batch.Entries[i].Salt.Span), batch.Entries[i].Content.Span), stored[i].Commitment);
        }
    }

    [Fact]
    public async Task An_entry_of_exactly_64_KiB_is_accepted_into_contents_rows_since_a_packed_opening_holds_less()
    {
        var batch = SignedBinaryBatch.Create(Keys, Board.Origin, [new byte[Stele.Domain.Payloads.PayloadSlot.InlineLimit], "small"u8.ToArray()]);
        using (var response = await Board.Http.SendAsync(batch.ToRequest()))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await Board.TraceAsync();
        Assert.Equal(2, trace.Contents);
        Assert.Equal(0, trace.PackedOpenings);
        Assert.Equal(1, await Board.ScalarAsync("SELECT count(*) FROM stele.contents WHERE content = $1", new byte[Stele.Domain.Payloads.PayloadSlot.InlineLimit]));
    }

    [Fact]
    public async Task Waiting_answers_201_with_every_entry_included_and_each_proof_verified_by_the_client()
    {
        var projection = await LogProjection.OpenAsync(Board.Events, Board.Database, Board.Storage, Board.LogKey);
        // 300 entries: the batch's leaves straddle the first full tile, so proofs use two tile widths.
        var items = Enumerable.Range(0, 300).Select(i => new BatchItem(BitConverter.GetBytes(i * 7919), MediaType.OctetStream)).ToArray();

        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await projection.CatchUpAsync();
                await Task.Delay(20);
            }
        });
        BatchResult result;
        try
        {
            result = await Client.SubmitBatchAsync(Keys, items, TimeSpan.FromSeconds(120));
        }
        finally
        {
            await stop.CancelAsync();
            await publishing;
        }

        Assert.Equal(items.Length, result.Entries.Count);
        for (var i = 0; i < items.Length; i++)
        {
            var included = result.Entries[i].Included;
            Assert.True(included is not null, $"entry {i} is {result.Entries[i].Status.State}");
            Assert.Equal(result.Entries[0].Included!.LeafIndex.Value + (ulong)i, included.LeafIndex.Value); // one batch, consecutive leaves
            Assert.Equal(result.Root, Assert.IsType<BatchedEntryRecord>(included.Record).Batch);
        }
    }

    [Fact]
    public async Task A_forged_signature_and_a_content_changed_after_signing_are_403()
    {
        var forged = Batch(3);
        forged.Body[4 + 8] ^= 1; // first signature byte
        await Board.AssertRefusedAsync(SignedBinaryBatch.ToRequest(forged.Body), 403, "bad_signature");

        var swapped = Batch(3);
        swapped.Body[^1] ^= 1; // last content byte
        await Board.AssertRefusedAsync(SignedBinaryBatch.ToRequest(swapped.Body), 403, "bad_signature");
    }

    [Fact]
    public async Task A_replayed_or_overlapping_batch_is_409_and_adds_nothing()
    {
        var batch = Batch(4);
        using (var response = await Board.Http.SendAsync(batch.ToRequest())) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Board.AssertRefusedAsync(batch.ToRequest(), 409, "replayed_sequence");
        await Board.AssertRefusedAsync(Batch(4, first: batch.Entries[0].Sequence + 2).ToRequest(), 409, "replayed_sequence");
    }

    [Fact]
    public async Task An_oversized_entry_or_body_is_413()
    {
        // An entry's declared length above 64 KiB is refused from its header.
        var big = Batch(1, size: 10);
        var lengthAt = big.Body.Length - 10 - 4;
        BinaryPrimitives.WriteUInt32BigEndian(big.Body.AsSpan(lengthAt), Stele.Domain.Payloads.PayloadSlot.InlineLimit + 1);
        await Board.AssertRefusedAsync(SignedBinaryBatch.ToRequest(big.Body), 413, "too_large");
        // A body above the server's limit is refused from its Content-Length, before it is read.
        await Board.AssertRefusedAsync(Batch(20, size: 60_000).ToRequest(), 413, "too_large");
    }

    [Fact]
    public async Task Bodies_cut_short_anywhere_are_400_truncated()
    {
        var body = Batch(3, size: 20).Body;
        foreach (var length in new[] { 0, 2, 4, 40, 80, body.Length - 21, body.Length - 1 })
            await Board.AssertRefusedAsync(SignedBinaryBatch.ToRequest(body[..length]), 400, "truncated");
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "magic", "malformed" },
        { "version", "unsupported_version" },
        { "no media types", "malformed" },
        { "media type", "malformed" },
        { "type index", "malformed" },
        { "count zero", "malformed" },
        { "descending sequences", "malformed" },
        { "trailing bytes", "malformed" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task Malformed_bodies_are_400_with_their_code(string corruption, string code)
    {
        var batch = Batch(2, size: 5);
        var body = batch.Body;
        const int types = 4 + 8 + 64; // media-type count byte
        const int firstType = types + 2; // first byte of the first media type
        var count = types + 1 + 1 + "application/octet-stream".Length;
        var firstEntry = count + 4;
        switch (corruption)
        {
            case "magic": body[0] = (byte)'X'; break;
            case "version": body[3] = 2; break;
            case "no media types": body[types] = 0; break;
            case "media type": body[firstType] = 0x01; break;
            case "type index": body[firstEntry + 8 + 32] = 1; break;
            case "count zero": BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(count), 0); break;
            case "descending sequences": BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(firstEntry), batch.Entries[1].Sequence + 1); break;
            case "trailing bytes": body = [.. body, 0]; break;
        }
        await Board.AssertRefusedAsync(SignedBinaryBatch.ToRequest(body), 400, code);
    }

    [Fact]
    public async Task A_body_without_Content_Length_is_411()
    {
        var request = SignedBinaryBatch.ToRequest(Batch(2).Body);
        request.Content = new StreamContent(new MemoryStream(Batch(2).Body)); // chunked: no length known up front
        request.Content.Headers.TryAddWithoutValidation("Content-Type", Stele.Domain.Batches.BinaryBatch.ContentType);
        request.Headers.TransferEncodingChunked = true;
        await Board.AssertRefusedAsync(request, 411, "length_required");
    }

    [Fact]
    public async Task A_connection_closed_mid_body_leaves_no_trace()
    {
        var body = Batch(50, size: 1000).Body;
        var before = await Board.TraceAsync();
        await Board.PostHalfABodyAsync("/v1/batches", Stele.Domain.Batches.BinaryBatch.ContentType, body);
        // A refused request writes nothing, so the next accepted batch is the only change.
        var next = Batch(1);
        using (var response = await Board.Http.SendAsync(next.ToRequest())) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var after = await Board.TraceAsync();
        Assert.Equal(before with { Events = before.Events + 1, PackedOpenings = before.PackedOpenings + 1, Sequences = before.Sequences + 1 }, after);
    }
}
