using Stele.Storage.S3;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Contract;

/// <summary>An S3 store on s3rver at $STELE_TEST_S3_ENDPOINT: a fresh bucket per test, under a prefix.</summary>
public sealed class S3Backend : IStoreBackend
{
    // Small pages so listings cross many page boundaries; the smallest part size S3 allows.
    private static readonly S3ObjectStoreOptions Options = new() { ListPageSize = 97, PartSize = S3ObjectStoreOptions.MinPartSize };

    private readonly string _bucket = S3TestBucket.NewName();

    // s3rver walks its own folder tree, so it lists 'a/b' before 'a-b' (real S3 does not).
    public bool OrdersKeysAroundSeparatorByBytes => false;

    public async Task<IObjectStore> CreateAsync() => await S3TestBucket.CreateStoreAsync(_bucket, "board/v1", Options);

    public Task DestroyAsync() => S3TestBucket.DeleteAsync(_bucket);

    // s3rver implements neither ListMultipartUploads nor AbortMultipartUpload, so unfinished
    // uploads cannot be observed through its API; what the contract checks is that no object appears.
    public Task AssertNoUnfinishedWritesAsync(IObjectStore store) => Task.CompletedTask;
}
