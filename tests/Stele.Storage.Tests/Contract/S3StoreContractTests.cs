using Stele.Storage.S3;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Contract;

/// <summary>The contract, against s3rver at $STELE_TEST_S3_ENDPOINT, in a fresh bucket per test, under a prefix.</summary>
public sealed class S3StoreContractTests : ObjectStoreContract
{
    private readonly string _bucket = S3TestBucket.NewName();

    // Small pages so listings cross many page boundaries; the smallest part size S3 allows.
    private static readonly S3ObjectStoreOptions Options = new() { ListPageSize = 97, PartSize = S3ObjectStoreOptions.MinPartSize };

    // s3rver walks its own folder tree, so it lists 'a/b' before 'a-b' (real S3 does not).
    protected override bool OrdersKeysAroundSeparatorByBytes => false;

    protected override async Task<IObjectStore> CreateStoreAsync() =>
        await S3TestBucket.CreateStoreAsync(_bucket, "board/v1", Options);

    protected override Task DestroyStoreAsync() => S3TestBucket.DeleteAsync(_bucket);

    protected override Task AssertNoUnfinishedWritesAsync()
    {
        // s3rver implements neither ListMultipartUploads nor AbortMultipartUpload, so unfinished
        // uploads cannot be observed through its API; what the contract checks is that no object appears.
        return Task.CompletedTask;
    }
}
