using Stele.Client;

namespace Stele.Api.Tests;

/// <summary>Tests that each need their own running board and one registered, admitted client.</summary>
public abstract class RegisteredClientTests : IAsyncLifetime
{
    protected BoardFixture Board { get; private set; } = null!;

    protected SteleClient Client { get; private set; } = null!;

    protected ClientKeys Keys { get; private set; } = null!;

    /// <summary>The board this class's tests run against (storage, size limits).</summary>
    protected abstract Task<BoardFixture> StartBoardAsync();

    public async Task InitializeAsync()
    {
        Board = await StartBoardAsync();
        Client = Board.NewClient();
        Keys = await Board.RegisterAndAdmitAsync(Client);
    }

    public async Task DisposeAsync()
    {
        Keys.Dispose();
        Client.Dispose();
        await Board.DisposeAsync();
    }
}
