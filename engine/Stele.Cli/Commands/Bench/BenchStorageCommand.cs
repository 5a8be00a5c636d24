using System.CommandLine;
using System.Diagnostics;
using Stele.Storage;
using Stele.Storage.Local;
using Stele.Storage.S3;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench storage`: the object stores against bare file I/O doing the same work in the
/// same run. Small objects: put (16 in flight), get, list; one large object streamed through.
/// The put baseline is write + fsync (the least a durable put can cost); a plain write without
/// fsync is shown for scale. With --s3-endpoint the S3 store joins, against that server.
/// </summary>
internal static class BenchStorageCommand
{
    private const int InFlight = 16;
    private static readonly ObjectMetadata Metadata = new("application/octet-stream", "public, max-age=31536000, immutable");

    public static Command Create()
    {
        var objects = new Option<int>("--objects") { Description = "Small objects per run.", DefaultValueFactory = _ => 400 };
        var sizeKib = new Option<int>("--size-kib") { Description = "Size of each small object in KiB.", DefaultValueFactory = _ => 4 };
        var streamMib = new Option<int>("--stream-mib") { Description = "Size of the streamed object in MiB.", DefaultValueFactory = _ => 128 };
        var runs = new Option<int>("--runs") { Description = "Measured runs (after one warm-up).", DefaultValueFactory = _ => 5 };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Where to create the stores (default: the system temp directory)." };
        var s3 = new Option<string?>("--s3-endpoint") { Description = "Also measure the S3 store against this endpoint (s3rver: credentials S3RVER)." };
        var command = new Command("storage", "Directory (and S3) object store vs bare file I/O: small puts/gets/lists and one streamed object; medians.");
        foreach (var option in new Option[] { objects, sizeKib, streamMib, runs, dir, s3 }) command.Options.Add(option);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var settings = new Settings(parse.GetValue(objects), parse.GetValue(sizeKib) * 1024, (long)parse.GetValue(streamMib) << 20, parse.GetValue(runs));
            if (settings.Objects < 1 || settings.ObjectSize < 0 || settings.StreamBytes < 1 || settings.Runs < 1)
                throw new CliException("--objects, --stream-mib and --runs must be at least 1, --size-kib at least 0");
            var parent = parse.GetValue(dir)?.FullName ?? Path.GetTempPath();
            var work = Directory.CreateDirectory(Path.Combine(parent, $"stele-bench-storage-{Environment.ProcessId}"));
            S3ObjectStore? s3Store = null;
            try
            {
                if (parse.GetValue(s3) is { } endpoint)
                {
                    if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)) throw new CliException($"--s3-endpoint '{endpoint}' is not an absolute URL");
                    s3Store = new S3ObjectStore(S3Settings.ForS3rver(uri), "stele-bench", $"storage-{Environment.ProcessId}");
                    await s3Store.EnsureBucketAsync(ct);
                }
                await RunAsync(settings, work.FullName, s3Store, ct);
            }
            finally
            {
                if (s3Store is not null)
                {
                    Console.Error.WriteLine($"removing the objects under {s3Store.Location} …");
                    var left = await s3Store.ListAsync(cancellationToken: CancellationToken.None).Select(o => o.Key).ToArrayAsync(CancellationToken.None);
                    await ForEachAsync(left, CancellationToken.None, k => s3Store.DeleteAsync(k, CancellationToken.None));
                    await s3Store.DisposeAsync();
                }
                work.Delete(recursive: true);
            }
            return 0;
        });
        return command;
    }

    private sealed record Settings(int Objects, int ObjectSize, long StreamBytes, int Runs);

    /// <summary>One way of doing a phase's work; <c>Run</c> gets a fresh run name; <c>After</c> tidies up, untimed.</summary>
    private sealed record Contender(
        string Phase, string Name, bool IsBaseline, Func<string, CancellationToken, Task> Run, Func<string, CancellationToken, Task>? After = null);

    private static async Task RunAsync(Settings settings, string work, S3ObjectStore? s3, CancellationToken ct)
    {
        var body = new byte[settings.ObjectSize];
        new Random(1).NextBytes(body);
        var keys = Enumerable.Range(0, settings.Objects).Select(i => $"tile/{i / 64:D3}/{i % 64:D3}").ToArray();
        var rawRoot = Path.Combine(work, "raw");
        await using var directory = new DirectoryObjectStore(Path.Combine(work, "store"));

        string RawPath(string run, string key) => Path.Combine(rawRoot, run, key);
        var stores = new List<(string Name, IObjectStore Store)> { ("directory store", directory) };
        if (s3 is not null) stores.Add(("S3 store", s3));

        var contenders = new List<Contender>
        {
            new("put", "file write, no fsync", false, (run, c) => ForEachAsync(keys, c, async k =>
            {
                var path = RawPath(run, k);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, body, c);
            })),
            new("put", "file write + fsync", true, (run, c) => ForEachAsync(keys, c, async k =>
            {
                var path = RawPath(run + "-sync", k);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
                await file.WriteAsync(body, c);
                file.Flush(flushToDisk: true);
            })),
            new("get", "file read", true, (run, c) => ForEachAsync(keys, c, k => File.ReadAllBytesAsync(RawPath("0", k), c))),
            new("list", "Directory.EnumerateFiles", true, (run, _) =>
            {
                var count = Directory.EnumerateFiles(Path.Combine(rawRoot, "0"), "*", SearchOption.AllDirectories).Count();
                return count == keys.Length ? Task.CompletedTask : throw new CliException($"raw listing saw {count} files, expected {keys.Length}");
            }),
            new("stream", "FileStream copy + fsync", true, async (run, c) =>
            {
                await using var file = new FileStream(Path.Combine(work, $"stream-{run}.bin"), FileMode.CreateNew, FileAccess.Write, FileShare.None);
                await new RepeatingStream(settings.StreamBytes).CopyToAsync(file, c);
                file.Flush(flushToDisk: true);
            }, (run, _) =>
            {
                File.Delete(Path.Combine(work, $"stream-{run}.bin"));
                return Task.CompletedTask;
            }),
        };
        foreach (var (name, store) in stores)
        {
            contenders.Add(new("put", name, false, (run, c) => ForEachAsync(keys, c, k => store.PutBytesAsync($"{run}/{k}", body, Metadata, c))));
            contenders.Add(new("get", name, false, (run, c) => ForEachAsync(keys, c, k => store.GetBytesAsync($"0/{k}", c))));
            contenders.Add(new("list", name, false, async (run, c) =>
            {
                var count = 0;
                await foreach (var _ in store.ListAsync("0/", cancellationToken: c)) count++;
                if (count != keys.Length) throw new CliException($"{name} listed {count} objects, expected {keys.Length}");
            }));
            contenders.Add(new("stream", name, false,
                (run, c) => store.PutAsync($"stream-{run}.bin", new RepeatingStream(settings.StreamBytes), Metadata, c),
                (run, c) => store.DeleteAsync($"stream-{run}.bin", c)));
        }
        // What the metadata sidecar costs: the same puts with no metadata to record.
        contenders.Add(new("put", "directory store, no metadata", false,
            (run, c) => ForEachAsync(keys, c, k => directory.PutBytesAsync($"bare-{run}/{k}", body, ObjectMetadata.None, c))));

        // Run "0" (the warm-up) also creates the objects the get and list phases read.
        foreach (var contender in contenders.Where(c => c.Phase == "put")) await contender.Run("0", ct);
        foreach (var contender in contenders.Where(c => c.Phase != "put"))
        {
            await contender.Run("0", ct);
            if (contender.After is { } after) await after("0", ct);
        }

        var seconds = contenders.Select(_ => new List<double>()).ToArray();
        for (var run = 1; run <= settings.Runs; run++)
        {
            for (var k = 0; k < contenders.Count; k++)
            {
                var index = (run + k) % contenders.Count; // rotate so no contender always follows the same one
                var name = run.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var clock = Stopwatch.StartNew();
                await contenders[index].Run(name, ct);
                seconds[index].Add(clock.Elapsed.TotalSeconds);
                if (contenders[index].After is { } after) await after(name, ct);
            }
            Console.Error.WriteLine($"run {run}/{settings.Runs} done");
        }

        Console.WriteLine($"Object stores vs bare file I/O: {settings.Objects} objects of {settings.ObjectSize} B ({InFlight} in flight), " +
            $"one {settings.StreamBytes >> 20} MiB stream; median of {settings.Runs} runs.");
        Console.WriteLine();
        Console.WriteLine("| phase | contender | median | min–max | vs baseline |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var phase in new[] { "put", "get", "list", "stream" })
        {
            var baseline = contenders.FindIndex(c => c.Phase == phase && c.IsBaseline);
            for (var i = 0; i < contenders.Count; i++)
            {
                if (contenders[i].Phase != phase) continue;
                var (unit, amount) = phase == "stream" ? ("MB/s", settings.StreamBytes / 1e6) : ("objects/s", (double)settings.Objects);
                double Rate(double s) => amount / s;
                var median = Rate(Median(seconds[i]));
                var ratio = median / Rate(Median(seconds[baseline]));
                Console.WriteLine($"| {phase} | {contenders[i].Name} | {median:F0} {unit} | {Rate(seconds[i].Max()):F0}–{Rate(seconds[i].Min()):F0} | {ratio:F2}× |");
            }
        }
    }

    private static Task ForEachAsync(string[] keys, CancellationToken ct, Func<string, Task> action) =>
        Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct }, async (k, _) => await action(k));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>A non-seekable stream of <c>length</c> bytes, one random MiB repeated: a body of unknown size.</summary>
    private sealed class RepeatingStream(long length) : Stream
    {
        private static readonly byte[] Block = CreateBlock();
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            var done = 0;
            while (done < n)
            {
                var at = (int)((_position + done) % Block.Length);
                var chunk = Math.Min(n - done, Block.Length - at);
                Block.AsSpan(at, chunk).CopyTo(buffer[done..]);
                done += chunk;
            }
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static byte[] CreateBlock()
        {
            var block = new byte[1 << 20];
            new Random(7).NextBytes(block);
            return block;
        }
    }
}
