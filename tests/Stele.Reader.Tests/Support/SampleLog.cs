using Stele.Domain.Identity;

namespace Stele.Reader.Tests.Support;

/// <summary>A log with every kind of leaf: registrations, inline and blob entries, both batch kinds, an erasure.</summary>
internal sealed class SampleLog : IDisposable
{
    public SampleLog(int extraEntries = 300)
    {
        Log = new TestLog();
        for (var i = 0; i < 3; i++)
        {
            Clients.Add(new TestClient());
            Log.Register(Clients[i]);
        }
        FirstEntry = Log.AddEntry(Clients[0], "hello board"u8.ToArray());
        BlobLeaf = Log.AddEntry(Clients[1], Bytes(200_000, 7), "application/octet-stream");
        ErasedBlobLeaf = Log.AddEntry(Clients[2], Bytes(70_000, 9), "application/octet-stream");
        Log.AddClientBatch(Clients[0], [.. Enumerable.Range(0, 40).Select(i => Bytes(10 + i, i))]);
        var items = Enumerable.Range(0, 30).Select(i => (Clients[i % 3], Bytes(5, i))).ToList();
        Log.AddDistilledBatch(items, new HashSet<ClientId> { Clients[2].Id });
        for (var i = 0; i < extraEntries; i++) Log.AddEntry(Clients[i % 3], Bytes(1 + i % 50, i));
        ErasedInlineLeaf = FirstEntry;
        Log.Redact(ErasedInlineLeaf);
        Log.Redact(ErasedBlobLeaf);
    }

    public TestLog Log { get; }
    public List<TestClient> Clients { get; } = [];
    public ulong FirstEntry { get; }
    public ulong BlobLeaf { get; }
    public ulong ErasedBlobLeaf { get; }
    public ulong ErasedInlineLeaf { get; }

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        Log.Dispose();
        foreach (var c in Clients) c.Dispose();
    }
}
