using Stele.Storage.Local;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Contract;

/// <summary>The contract, against a directory store in a fresh temp folder.</summary>
public sealed class DirectoryStoreContractTests : ObjectStoreContract
{
    private readonly TempFolder _folder = new();

    protected override Task<IObjectStore> CreateStoreAsync() =>
        Task.FromResult<IObjectStore>(new DirectoryObjectStore(Path.Combine(_folder.Path, "board")));

    protected override Task DestroyStoreAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    protected override Task AssertNoUnfinishedWritesAsync()
    {
        var store = (DirectoryObjectStore)Store;
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.RootPath, ".stele-store", "tmp")));
        return Task.CompletedTask;
    }
}
