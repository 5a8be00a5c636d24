using System.Net;
using System.Net.Http.Json;
using Stele.Client;
using Stele.Domain.Identity;

namespace Stele.Api.Tests;

public sealed class RegistrationTests : IAsyncLifetime
{
    private BoardFixture _board = null!;

    public async Task InitializeAsync() => _board = await BoardFixture.StartAsync();

    public async Task DisposeAsync() => await _board.DisposeAsync();

    [Fact]
    public async Task Registration_appends_one_event_to_the_log_stream_and_a_second_is_409()
    {
        using var client = _board.NewClient();
        using var keys = ClientKeys.Generate();
        var position = await client.RegisterAsync(keys, BoardFixture.OperatorSecret);

        Assert.Equal(1, await _board.ScalarAsync("SELECT count(*) FROM stele.events WHERE stream_id = 'log' AND event_type = 'ClientRegistered' AND position = $1", position));
        Assert.Equal("pending", await client.GetRegistrationAsync(keys.Client));
        var again = await Assert.ThrowsAsync<SteleApiException>(() => client.RegisterAsync(keys, BoardFixture.OperatorSecret));
        Assert.Equal((409, "already_registered"), (again.Status, again.Code));
        Assert.Equal(1, (await _board.TraceAsync()).Events);

        await _board.AdmitAsync(keys, position);
        Assert.True(await client.WaitForRegistrationAsync(keys.Client, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-wrong-token-wrong")]
    [InlineData("Basic " + BoardFixture.OperatorSecret)]
    public async Task Registration_without_the_operator_token_is_401_and_leaves_nothing(string? authorization)
    {
        using var keys = ClientKeys.Generate();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/clients") { Content = JsonContent.Create(Body(keys, _board.Origin), ApiJson.Default.RegistrationRequest) };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _board.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"code\":\"unauthorized\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(new Trace(0, 0, 0, 0, 0, 0), await _board.TraceAsync());
    }

    public static TheoryData<string, int, string> Forgeries => new()
    {
        { "other-origin", 403, "bad_signature" },
        { "wrong-id", 400, "client_id_mismatch" },
        { "foreign-pop", 403, "bad_proof_of_possession" },
        { "bad-hex", 400, "malformed" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Forged_registrations_are_refused_and_leave_nothing(string forgery, int status, string code)
    {
        using var keys = ClientKeys.Generate();
        using var other = ClientKeys.Generate();
        var body = Body(keys, _board.Origin);
        body = forgery switch
        {
            "other-origin" => Body(keys, new LogOrigin("other.example/board")),
            "wrong-id" => body with { Client = other.Client.ToString() },
            "foreign-pop" => body with { ProofOfPossession = other.ProofOfPossession.ToString() },
            "bad-hex" => body with { Ed25519PublicKey = "zz" + body.Ed25519PublicKey[2..] },
            _ => throw new ArgumentException(forgery),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/clients") { Content = JsonContent.Create(body, ApiJson.Default.RegistrationRequest) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + BoardFixture.OperatorSecret);
        using var response = await _board.Http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains($"\"code\":\"{code}\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(new Trace(0, 0, 0, 0, 0, 0), await _board.TraceAsync());
    }

    private static RegistrationRequest Body(ClientKeys keys, LogOrigin origin) => new(
        keys.Client.ToString(), keys.Ed25519PublicKey.ToString(), keys.BlsPublicKey.ToString(), keys.ProofOfPossession.ToString(),
        keys.SignRegistration(origin).ToString());
}
