namespace Stele.Storage.Tests.Contract;

/// <summary>A fresh store from <typeparamref name="TBackend"/> for every test, destroyed afterwards.</summary>
public abstract class StoreTestBase<TBackend> : IAsyncLifetime
    where TBackend : IStoreBackend, new()
{
    protected static readonly ObjectMetadata Tile = new("application/octet-stream", "public, max-age=31536000, immutable");

    protected TBackend Backend { get; } = new();

    protected IObjectStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await Backend.CreateAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await Backend.DestroyAsync();
    }
}
