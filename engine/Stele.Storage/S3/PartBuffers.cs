using System.Buffers;

namespace Stele.Storage.S3;

/// <summary>
/// Part-sized buffers for uploads, pooled across writes so a busy store does not churn the
/// large-object heap with a fresh 16 MiB array per object.
/// </summary>
internal static class PartBuffers
{
    private static readonly ArrayPool<byte> Pool =
        ArrayPool<byte>.Create(maxArrayLength: S3ObjectStoreOptions.MaxPartSize, maxArraysPerBucket: 8);

    public static byte[] Rent(int size) => Pool.Rent(size);

    public static void Return(byte[] buffer) => Pool.Return(buffer);
}
