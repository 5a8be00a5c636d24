using Stele.Storage.Local;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Contract;

/// <summary>A directory store in a fresh temp folder.</summary>
public class DirectoryBackend : IStoreBackend
{
    private readonly TempFolder _folder = new();

    protected virtual DirectoryDurability Durability => DirectoryDurability.PerObject;

    public bool OrdersKeysAroundSeparatorByBytes => true;

    public Task<IObjectStore> CreateAsync() =>
        Task.FromResult<IObjectStore>(new DirectoryObjectStore(Path.Combine(_folder.Path, "board"), Durability));

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

/// <summary>A directory store that groups its fsyncs, as `stele rebuild` opens its target: the same contract holds.</summary>
public sealed class GroupedDirectoryBackend : DirectoryBackend
{
    protected override DirectoryDurability Durability => DirectoryDurability.Grouped;
}
