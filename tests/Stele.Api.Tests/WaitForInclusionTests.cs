using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Projections.Daemon;

namespace Stele.Api.Tests;

/// <summary>
/// Waiting for inclusion wakes on the publisher's notification, not on polling: the recheck interval is
/// set far beyond every timeout here, so only the NOTIFY sent with the cycle's commit can end a wait early.
/// </summary>
public sealed class WaitForInclusionTests : IAsyncLifetime
{
    private static readonly TimeSpan NoPolling = TimeSpan.FromMinutes(10);

    private BoardFixture _board = null!;
    private SteleClient _client = null!;
    private ClientKeys _keys = null!;
    private LogProjection _projection = null!;

    public async Task InitializeAsync()
    {
        _board = await BoardFixture.StartAsync(waitRecheck: NoPolling);
        _client = _board.NewClient();
        _keys = ClientKeys.Generate();
        await _client.RegisterAsync(_keys, BoardFixture.OperatorSecret);
        _projection = await LogProjection.OpenAsync(_board.Events, _board.Database, _board.Storage, _board.LogKey);
        await _projection.CatchUpAsync();
        Assert.True(await _client.WaitForRegistrationAsync(_keys.Client, TimeSpan.FromSeconds(5)));
    }

    public async Task DisposeAsync()
    {
        _keys.Dispose();
        _client.Dispose();
        await _board.DisposeAsync();
    }

    [Fact]
    public async Task A_waiting_submission_answers_201_with_a_verified_proof_as_soon_as_the_publisher_commits()
    {
        await WarmUpListenerAsync();
        var submit = _client.SubmitAsync(_keys, "wake me"u8.ToArray(), MediaType.OctetStream, new SubmitOptions(WaitForInclusion: TimeSpan.FromSeconds(60)));
        await WaitUntilAcceptedAsync(2);
        var published = Stopwatch.StartNew();
        await _projection.CatchUpAsync();

        var result = await submit.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(result.Included); // verified against the trusted log key by the client
        Assert.True(published.Elapsed < TimeSpan.FromSeconds(15), $"answered {published.Elapsed} after the publication");
    }

    [Fact]
    public async Task The_status_url_with_wait_answers_when_the_entry_is_published_and_on_timeout_otherwise()
    {
        var submitted = await _client.SubmitAsync(_keys, "status"u8.ToArray(), MediaType.OctetStream);
        var url = $"v1/entries/{_keys.Client}/{submitted.Descriptor.Sequence}";

        // Nothing publishes: the wait ends at its timeout (not at the 10-minute recheck) with the pending status.
        var clock = Stopwatch.StartNew();
        using (var pending = await _board.Http.GetAsync(url + "?wait=1.5"))
        {
            Assert.Equal(HttpStatusCode.OK, pending.StatusCode);
            Assert.Equal("pending", (await pending.Content.ReadFromJsonAsync(ApiJson.Default.EntryStatusResponse))!.Status);
        }
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(20));

        var waiting = _board.Http.GetAsync(url + "?wait=60");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        var published = Stopwatch.StartNew();
        await _projection.CatchUpAsync();
        using var included = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        var status = await included.Content.ReadFromJsonAsync(ApiJson.Default.EntryStatusResponse);
        Assert.Equal("included", status!.Status);
        Assert.NotNull(status.InclusionProof);
        Assert.True(published.Elapsed < TimeSpan.FromSeconds(15), $"answered {published.Elapsed} after the publication");
    }

    [Fact]
    public async Task A_malformed_wait_on_the_status_url_is_400()
    {
        using var response = await _board.Http.GetAsync($"v1/entries/{_keys.Client}/1?wait=soon");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\":\"malformed\"", await response.Content.ReadAsStringAsync());
    }

    // The listener starts on the first wait and then looks once: let that happen before the measured wait.
    private async Task WarmUpListenerAsync()
    {
        using var response = await _board.Http.GetAsync($"v1/entries/{_keys.Client}/1?wait=0.2");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task WaitUntilAcceptedAsync(long events)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await _board.ScalarAsync("SELECT count(*) FROM stele.events") < events)
        {
            Assert.True(DateTime.UtcNow < deadline, "the submission was not accepted within 30 s");
            await Task.Delay(20);
        }
    }
}
