using System.Text;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Domain.Records;
using Stele.Projections.Daemon;
using Stele.Tlog;

namespace Stele.Api.Tests;

/// <summary>Submission through the API, then P1's real fold and publisher, then a verified inclusion proof from the API.</summary>
public class InclusionTests : IAsyncLifetime
{
    private BoardFixture _board = null!;

    /// <summary>True to publish into an s3rver bucket instead of a directory.</summary>
    protected virtual bool OnS3 => false;

    public async Task InitializeAsync() => _board = await BoardFixture.StartAsync(s3: OnS3);

    public async Task DisposeAsync() => await _board.DisposeAsync();

    [Fact]
    public async Task An_entry_folded_and_published_comes_back_with_a_verified_inclusion_proof()
    {
        using var client = _board.NewClient();
        using var keys = ClientKeys.Generate();
        await client.RegisterAsync(keys, BoardFixture.OperatorSecret);
        var projection = await LogProjection.OpenAsync(_board.Events, _board.Database, _board.Storage, _board.LogKey);
        await projection.CatchUpAsync();
        Assert.True(await client.WaitForRegistrationAsync(keys.Client, TimeSpan.FromSeconds(5)));

        var small = await client.SubmitAsync(keys, Encoding.UTF8.GetBytes("vote: blue"), new MediaType("text/plain"));
        var batch = await client.SubmitBatchAsync(keys, [new BatchItem("a"u8.ToArray(), MediaType.OctetStream), new BatchItem("b"u8.ToArray(), MediaType.OctetStream)]);
        await projection.CatchUpAsync();

        var included = await client.WaitForInclusionAsync(small, TimeSpan.FromSeconds(10));
        Assert.NotNull(included);
        Assert.Equal(new LeafIndex(1), included.LeafIndex); // leaf 0 is the registration
        Assert.IsType<EntryRecord>(included.Record);
        Assert.Equal(4UL, included.Checkpoint.Size.Value);
        foreach (var entry in batch.Entries)
        {
            var proof = await client.WaitForInclusionAsync(entry, TimeSpan.FromSeconds(10));
            Assert.True(proof is not null, $"{(await client.GetStatusAsync(keys.Client, entry.Descriptor.Sequence)).Reason}");
            Assert.IsType<BatchedEntryRecord>(proof.Record);
        }

        // A client trusting another key refuses the same answer.
        using var other = Stele.Projections.LogKey.Generate(_board.Origin.Value);
        using var suspicious = new SteleClient(_board.BaseAddress, _board.Origin, other.Verifier);
        var refused = await Assert.ThrowsAsync<SteleApiException>(() => suspicious.WaitForInclusionAsync(small with { Included = null }, TimeSpan.FromSeconds(2)));
        Assert.Equal("bad_checkpoint", refused.Code);
    }
}

/// <summary>The same, with the tiles, bundles and checkpoint on s3rver object storage.</summary>
public sealed class InclusionTestsOnS3 : InclusionTests
{
    protected override bool OnS3 => true;
}
