using System.Security.Cryptography;

namespace Stele.Storage.Tests.Support;

internal static class Bytes
{
    /// <summary>Reproducible test content of the given size.</summary>
    public static byte[] Pattern(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Reads a stream to its end through a small buffer, returning its SHA-256 and length.</summary>
    public static async Task<(byte[] Sha256, long Length)> HashAsync(Stream stream)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[128 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            total += read;
        }
        return (sha.GetHashAndReset(), total);
    }
}
