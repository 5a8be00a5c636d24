using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stele.Client;

namespace Stele.Api.Tests;

/// <summary>
/// POST /v1/batches: an accepted batch is one event with every opening; forged, replayed, oversized,
/// truncated and malformed batches are refused with their code and leave no trace. Directory storage;
/// <see cref="BatchTestsOnS3"/> runs them again on s3rver.
/// </summary>
public class BatchTests : RegisteredClientTests
{
    private const long MaxBody = 1 << 20;

    protected virtual bool OnS3 => false;

    protected override Task<BoardFixture> StartBoardAsync() => BoardFixture.StartAsync(s3: OnS3, maxBatchBodySize: MaxBody);

    private SignedBatch Batch(int count, int size = 10, ulong? first = null) =>
        SignedBatch.Create(Keys, Board.Origin, [.. Enumerable.Range(0, count).Select(i => Enumerable.Repeat((byte)i, size).ToArray())], first);

    [Fact]
    public async Task A_batch_is_one_event_with_every_opening_and_reserves_its_last_sequence()
    {
        var batch = Batch(5);
        using var response = await Board.Http.SendAsync(batch.ToRequest());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await Board.ScalarAsync("SELECT count(*) FROM stele.events WHERE event_type = 'BatchSubmitted'"));
        // The openings are one packed row keyed by the event's position, not five stele.contents rows.
        Assert.Equal(0, (await Board.TraceAsync()).Contents);
        Assert.Equal(5, await Board.ScalarAsync("SELECT p.entries FROM stele.packed_openings p JOIN stele.events e ON e.position = p.position WHERE e.event_type = 'BatchSubmitted'"));
        var last = (long)batch.Body["entries"]!.AsArray()[^1]!["sequence"]!.GetValue<ulong>();
        Assert.Equal(last, await Board.ScalarAsync("SELECT last_sequence FROM stele.client_sequences WHERE client_id = $1", unchecked((long)Keys.Client.Value)));
    }

    [Fact]
    public async Task A_forged_signature_and_a_content_swapped_after_signing_are_403()
    {
        var forged = Batch(3);
        var signature = forged.Body["signature"]!.GetValue<string>();
        forged.Body["signature"] = (signature[0] == '0' ? "1" : "0") + signature[1..];
        await Board.AssertRefusedAsync(forged.ToRequest(), 403, "bad_signature");

        var swapped = Batch(3);
        swapped.Body["entries"]!.AsArray()[1]!["content"] = Convert.ToBase64String("not what was signed"u8);
        await Board.AssertRefusedAsync(swapped.ToRequest(), 403, "bad_signature");
    }

    [Fact]
    public async Task An_unknown_client_is_403()
    {
        using var stranger = ClientKeys.Generate();
        var batch = SignedBatch.Create(stranger, Board.Origin, ["x"u8.ToArray()]);
        await Board.AssertRefusedAsync(batch.ToRequest(), 403, "unknown_client");
    }

    [Fact]
    public async Task A_replayed_or_overlapping_batch_is_409_and_adds_nothing()
    {
        var batch = Batch(4);
        using (var response = await Board.Http.SendAsync(batch.ToRequest())) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Board.AssertRefusedAsync(SignedBatch.ToRequest(batch.Body.ToJsonString()), 409, "replayed_sequence");
        var first = batch.Body["entries"]!.AsArray()[0]!["sequence"]!.GetValue<ulong>();
        await Board.AssertRefusedAsync(Batch(4, first: first + 2).ToRequest(), 409, "replayed_sequence");
    }

    [Fact]
    public async Task An_oversized_entry_or_body_is_413()
    {
        await Board.AssertRefusedAsync(Batch(2, size: 64 * 1024 + 1).ToRequest(), 413, "too_large");
        await Board.AssertRefusedAsync(Batch(20, size: 60_000).ToRequest(), 413, "too_large"); // > 1 MiB of JSON
    }

    public static TheoryData<string> MalformedBodies => new()
    {
        "not json",
        "null",
        """{"client": "xyz", "signature": "00", "entries": []}""",
        """{"client": "c5365278b72e118c", "signature": "00", "entries": [{"sequence": 1}]}""",
        """{"client": "c5365278b72e118c", "signature": "00", "entries": [{"sequence": "one"}]}""",
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_bodies_are_400(string body) =>
        await Board.AssertRefusedAsync(SignedBatch.ToRequest(body), 400, "malformed");

    [Fact]
    public async Task Bad_fields_in_a_signed_batch_are_400()
    {
        var empty = Batch(1);
        empty.Body["entries"] = new JsonArray();
        await Board.AssertRefusedAsync(empty.ToRequest(), 400, "malformed");

        var duplicate = Batch(2);
        duplicate.Body["entries"]!.AsArray()[1]!["sequence"] = duplicate.Body["entries"]!.AsArray()[0]!["sequence"]!.GetValue<ulong>();
        await Board.AssertRefusedAsync(duplicate.ToRequest(), 400, "malformed");

        var salt = Batch(2);
        salt.Body["entries"]!.AsArray()[0]!["salt"] = "abc";
        await Board.AssertRefusedAsync(salt.ToRequest(), 400, "malformed");

        var content = Batch(2);
        content.Body["entries"]!.AsArray()[0]!["content"] = "***";
        await Board.AssertRefusedAsync(content.ToRequest(), 400, "malformed");
    }

    [Fact]
    public async Task A_truncated_body_leaves_no_trace()
    {
        var body = Encoding.UTF8.GetBytes(Batch(50, size: 1000).Body.ToJsonString());
        var before = await Board.TraceAsync();
        await Board.PostHalfABodyAsync("/v1/batches", "application/json", body);
        // A refused request writes nothing, so the next accepted batch is the only change.
        using (var response = await Board.Http.SendAsync(Batch(1).ToRequest())) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var after = await Board.TraceAsync();
        Assert.Equal(before with { Events = before.Events + 1, PackedOpenings = before.PackedOpenings + 1, Sequences = before.Sequences + 1 }, after);
    }
}

/// <summary>Every <see cref="BatchTests"/> test against s3rver object storage.</summary>
public sealed class BatchTestsOnS3 : BatchTests
{
    protected override bool OnS3 => true;
}
