using Stele.Client;

namespace Stele.Api.Tests;

/// <summary>The setup many API tests share: a real board with one registered and admitted client.</summary>
public sealed class AdmittedClient : IAsyncDisposable
{
    private AdmittedClient(BoardFixture board, SteleClient client, ClientKeys keys) => (Board, Client, Keys) = (board, client, keys);

    public BoardFixture Board { get; }

    public SteleClient Client { get; }

    public ClientKeys Keys { get; }

    public static async Task<AdmittedClient> StartAsync()
    {
        var board = await BoardFixture.StartAsync();
        var client = board.NewClient();
        return new AdmittedClient(board, client, await board.RegisterAndAdmitAsync(client));
    }

    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        Client.Dispose();
        await Board.DisposeAsync();
    }
}
