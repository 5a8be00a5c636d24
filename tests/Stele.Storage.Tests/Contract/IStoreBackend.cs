namespace Stele.Storage.Tests.Contract;

/// <summary>One backend under contract test: makes fresh stores and knows its own quirks.</summary>
public interface IStoreBackend
{
    /// <summary>A fresh, empty store.</summary>
    Task<IObjectStore> CreateAsync();

    /// <summary>Removes whatever the test left behind (folder, bucket).</summary>
    Task DestroyAsync();

    /// <summary>Asserts the backend holds no trace of unfinished writes (temp files, multipart uploads).</summary>
    Task AssertNoUnfinishedWritesAsync(IObjectStore store);

    /// <summary>
    /// Whether the backend lists keys that differ at a '/' against a lower character (e.g. 'a-b' and
    /// 'a/b') in true byte order. S3 and the directory store do; s3rver, the test server, does not.
    /// </summary>
    bool OrdersKeysAroundSeparatorByBytes { get; }
}
