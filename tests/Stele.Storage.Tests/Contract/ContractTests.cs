namespace Stele.Storage.Tests.Contract;

// The contract, once per backend. The large-object halves share one collection that runs
// alone, because they measure process-wide allocations.

public sealed class DirectoryStoreContractTests : ObjectStoreContract<DirectoryBackend>;

public sealed class GroupedDirectoryStoreContractTests : ObjectStoreContract<GroupedDirectoryBackend>;

public sealed class S3StoreContractTests : ObjectStoreContract<S3Backend>;

[Collection(LargeObjectCollection.Name)]
public sealed class DirectoryLargeObjectTests : LargeObjectContract<DirectoryBackend>;

[Collection(LargeObjectCollection.Name)]
public sealed class S3LargeObjectTests : LargeObjectContract<S3Backend>;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeObjectCollection
{
    public const string Name = "large objects (run alone)";
}
