using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Contract;

/// <summary>
/// The contract's large-object half: a 200 MB body, generated on the fly and never held in memory,
/// streams in and out with allocations far below its size. Runs in a collection of its own, as it
/// measures allocations process-wide.
/// </summary>
public abstract class LargeObjectContract<TBackend> : StoreTestBase<TBackend>
    where TBackend : IStoreBackend, new()
{
    [Fact]
    public async Task A_200_MB_object_streams_through_in_bounded_memory()
    {
        const long size = 200L * 1024 * 1024;
        const long allocationBudget = 48L * 1024 * 1024; // far below the object's size
        // Warm up code paths and pools so one-time costs do not count against the budget.
        await Store.PutAsync("warm-up", new DeterministicStream(1024, 9), Tile);
        await Bytes.HashAsync(await Store.GetAsync("warm-up"));

        long before = GC.GetTotalAllocatedBytes(precise: true);
        using var source = new DeterministicStream(size, seed: 42);
        await Store.PutAsync("blob/200mb", source, Tile);
        var written = source.Sha256();
        long afterWrite = GC.GetTotalAllocatedBytes(precise: true);

        (byte[] readHash, long readLength) read;
        await using (var stream = await Store.GetAsync("blob/200mb"))
        {
            Assert.Equal(size, stream.Properties.Size);
            read = await Bytes.HashAsync(stream);
        }
        long afterRead = GC.GetTotalAllocatedBytes(precise: true);

        Assert.Equal(size, read.readLength);
        Assert.Equal(Convert.ToHexString(written), Convert.ToHexString(read.readHash));
        Assert.True(afterWrite - before < allocationBudget, $"writing allocated {(afterWrite - before) / 1024 / 1024} MiB");
        Assert.True(afterRead - afterWrite < allocationBudget, $"reading allocated {(afterRead - afterWrite) / 1024 / 1024} MiB");
        await Store.DeleteAsync("blob/200mb");
    }
}
