using System.Security.Cryptography;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Domain.Payloads;
using Stele.Projections.Daemon;
using Stele.Storage;

namespace Stele.Api.Tests;

/// <summary>
/// GDPR erasure through the HTTP API of an entry that arrived in a binary batch, whose openings are one
/// packed row: the redaction rewrites that row without the erased opening's bytes, keeps the others,
/// and the published payload file gets a tombstone where the content was.
/// </summary>
public sealed class BatchErasureTests : RegisteredClientTests
{
    protected override Task<BoardFixture> StartBoardAsync() => BoardFixture.StartAsync();

    [Fact]
    public async Task Redacting_an_entry_of_a_binary_batch_removes_its_bytes_from_the_packed_row_and_tombstones_the_payload()
    {
        var projection = await LogProjection.OpenAsync(Board.Events, Board.Database, Board.Storage, Board.LogKey);
        var contents = Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        var submitted = Client.SubmitBatchAsync(Keys, [.. contents.Select(c => new BatchItem(c, MediaType.OctetStream))], TimeSpan.FromSeconds(120));
        while (!submitted.IsCompleted)
        {
            await projection.CatchUpAsync();
            await Task.WhenAny(submitted, Task.Delay(20));
        }
        var result = await submitted;
        var leaves = result.Entries.Select(e => e.Included?.LeafIndex.Value ?? throw new InvalidOperationException($"not included: {e.Status.State}")).ToArray();
        Assert.Equal(3L, await PackedEntriesAsync());
        Assert.Equal(1L, await RowsHoldingAsync(contents[1]));

        await Client.RedactAsync(leaves[1], "data subject request", "GDPR art. 17(1)(a)", BoardFixture.OperatorSecret);
        await projection.CatchUpAsync(); // folds the redaction: rewrites the packed row, publishes the notice

        Assert.Equal(2L, await PackedEntriesAsync());
        Assert.Equal(0L, await RowsHoldingAsync(contents[1]));
        Assert.Equal(1L, await RowsHoldingAsync(contents[0]));
        Assert.Equal(1L, await RowsHoldingAsync(contents[2]));
        var payload = PayloadFile.Parse(await Board.Storage.GetBytesAsync(PayloadFile.KeyFor(leaves[1])));
        Assert.IsType<Tombstone>(payload.Slots[(int)(leaves[1] - payload.FirstLeaf)]);
        Assert.Equal(contents[2], Assert.IsType<InlinePayload>(payload.Slots[(int)(leaves[2] - payload.FirstLeaf)]).Content.ToArray());
    }

    private Task<long> PackedEntriesAsync() => Board.ScalarAsync("SELECT coalesce(sum(entries), 0)::bigint FROM stele.packed_openings");

    private Task<long> RowsHoldingAsync(byte[] content) =>
        Board.ScalarAsync("SELECT count(*) FROM stele.packed_openings WHERE position($1::bytea IN openings) > 0", content);
}
