using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Stele.Tlog;
using Stele.Tlog.Tiles;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench tree`: appending N leaves to the tiled RFC 6962 tree (leaf hashing + interior
/// hashing + tile bytes, kept in memory, not written) against the raw SHA-256 work the same tree
/// needs, done with the same SHA256.HashData call in a bare loop: N leaf inputs (0x00 || 40-byte
/// leaf) and N−1 interior inputs (65 bytes, 0x01 || left || right). Runs alternate; medians.
/// </summary>
internal static class BenchTreeCommand
{
    private const int LeafInputBytes = 40;

    public static Command Create()
    {
        var leaves = new Option<long>("--leaves") { Description = "Leaves appended per run.", DefaultValueFactory = _ => 10_000_000 };
        var runs = new Option<int>("--runs") { Description = "Measured runs of each side (after one small warm-up).", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Leaves per Append call (one checkpoint's worth).", DefaultValueFactory = _ => 65_536 };
        var command = new Command("tree", "Merkle tree append with tiles vs. the raw SHA-256 limit of the same hashing.");
        command.Options.Add(leaves);
        command.Options.Add(runs);
        command.Options.Add(batch);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var n = parse.GetValue(leaves);
            var runCount = parse.GetValue(runs);
            var batchSize = parse.GetValue(batch);
            if (n is < 2 or > int.MaxValue) throw new CliException("--leaves must be between 2 and 2147483647");
            if (runCount < 1) throw new CliException("--runs must be at least 1");
            if (batchSize < 1) throw new CliException("--batch must be at least 1");
            Run(n, runCount, batchSize, ct);
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Run(long leaves, int runs, int batch, CancellationToken ct)
    {
        // Warm-up: JIT and tiering for both loops.
        RawSha256(Math.Min(leaves, 200_000));
        AppendTree(Math.Min(leaves, 200_000), batch);

        var raw = new double[runs];
        var tree = new double[runs];
        var tileBytes = 0L;
        for (var r = 0; r < runs; r++)
        {
            ct.ThrowIfCancellationRequested();
            GC.Collect();
            var sw = Stopwatch.StartNew();
            RawSha256(leaves);
            raw[r] = sw.Elapsed.TotalSeconds;

            GC.Collect();
            sw.Restart();
            tileBytes = AppendTree(leaves, batch);
            tree[r] = sw.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"run {r + 1}/{runs}: raw {raw[r]:F3} s, tree {tree[r]:F3} s");
        }

        var rawMedian = Median(raw);
        var treeMedian = Median(tree);
        var hashes = 2 * leaves - 1;
        Console.WriteLine($"Merkle tree append, {leaves:N0} leaves of {LeafInputBytes} bytes, batches of {batch:N0}; medians of {runs} runs");
        Console.WriteLine($"{"side",-44} {"seconds",9} {"Mleaves/s",10} {"Mhash/s",9}");
        Console.WriteLine($"{"raw SHA-256 limit (N leaf + N-1 node inputs)",-44} {rawMedian,9:F3} {leaves / rawMedian / 1e6,10:F2} {hashes / rawMedian / 1e6,9:F2}");
        Console.WriteLine($"{"tree append + tiles (in memory)",-44} {treeMedian,9:F3} {leaves / treeMedian / 1e6,10:F2} {hashes / treeMedian / 1e6,9:F2}");
        // Each run measures both sides back to back, so per-run ratios are robust to load drifting over time.
        var pairRatios = raw.Zip(tree, (r, t) => r / t).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio (tree throughput / raw limit): {rawMedian / treeMedian:F3} of medians, {Median(pairRatios):F3} median of per-run ratios [{string.Join(", ", pairRatios.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}]"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tile bytes produced per run: {tileBytes:N0}"));
    }

    /// <summary>The hashing the tree cannot avoid, with nothing else: same inputs sizes, same call.</summary>
    internal static void RawSha256(long leaves, int leafInputBytes = LeafInputBytes)
    {
        Span<byte> leaf = stackalloc byte[1 + leafInputBytes];
        Span<byte> node = stackalloc byte[1 + 2 * Hash.Length];
        Span<byte> digest = stackalloc byte[Hash.Length];
        leaf.Clear();
        node.Clear();
        node[0] = 0x01;
        for (long i = 0; i < leaves; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(leaf[1..], i);
            SHA256.HashData(leaf, digest);
        }
        for (long i = 1; i < leaves; i++)
        {
            digest.CopyTo(node[1..]);
            SHA256.HashData(node, digest);
        }
    }

    /// <summary>Hashes each leaf input and appends in batches; returns the tile bytes produced.</summary>
    private static long AppendTree(long leaves, int batch)
    {
        var tree = new IncrementalTree();
        var hashes = new Hash[Math.Min(batch, leaves)];
        Span<byte> leaf = stackalloc byte[LeafInputBytes];
        leaf.Clear();
        long tileBytes = 0;
        for (long done = 0; done < leaves;)
        {
            var count = (int)Math.Min(hashes.Length, leaves - done);
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(leaf, done + i);
                hashes[i] = Rfc6962.HashLeaf(leaf);
            }
            var update = tree.Append(hashes.AsSpan(0, count));
            foreach (var tile in update.Tiles) tileBytes += tile.Data.Length;
            done += count;
        }
        return tileBytes;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
