namespace Stele.Tlog.Tests;

internal static class TestLeaves
{
    /// <summary>Distinct, reproducible leaf hashes.</summary>
    public static Hash[] Make(int count, int seed = 0)
    {
        var leaves = new Hash[count];
        Span<byte> data = stackalloc byte[8];
        for (var i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(data, (long)i ^ ((long)seed << 40));
            leaves[i] = Rfc6962.HashLeaf(data);
        }
        return leaves;
    }
}
