using Stele.Storage.Local;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Contract;

/// <summary>A directory store in a fresh temp folder.</summary>
public sealed class DirectoryBackend : IStoreBackend
{
    private readonly TempFolder _folder = new();

    public bool OrdersKeysAroundSeparatorByBytes => true;

    public Task<IObjectStore> CreateAsync() =>
        Task.FromResult<IObjectStore>(new DirectoryObjectStore(Path.Combine(_folder.Path, "board")));

    public Task DestroyAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    public Task AssertNoUnfinishedWritesAsync(IObjectStore store)
    {
        var root = ((DirectoryObjectStore)store).RootPath;
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, ".stele-store", "tmp")));
        return Task.CompletedTask;
    }
}
