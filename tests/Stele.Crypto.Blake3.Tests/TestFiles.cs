namespace Stele.Crypto.Blake3.Tests;

/// <summary>Deterministic pseudo-random inputs, in memory or in a temp file that deletes itself.</summary>
internal sealed class TestFile : IDisposable
{
    private const int BlockSize = 1 << 20;

    private TestFile(string path) => Path = path;

    public string Path { get; }

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static TestFile Write(byte[] content)
    {
        var file = new TestFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stele-b3-{Guid.NewGuid():N}.bin"));
        File.WriteAllBytes(file.Path, content);
        return file;
    }

    /// <summary>A large file streamed to disk: one random MiB, stamped with its index so every MiB differs.</summary>
    public static TestFile WriteLarge(long length, int seed)
    {
        var file = new TestFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stele-b3-large-{Guid.NewGuid():N}.bin"));
        var block = Bytes(BlockSize, seed);
        using var stream = new FileStream(file.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        for (long offset = 0, index = 0; offset < length; offset += BlockSize, index++)
        {
            BitConverter.TryWriteBytes(block.AsSpan(0, 8), index);
            stream.Write(block, 0, (int)Math.Min(BlockSize, length - offset));
        }
        return file;
    }

    public void Dispose() => File.Delete(Path);
}
