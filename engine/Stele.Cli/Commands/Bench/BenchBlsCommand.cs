using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Stele.Crypto.Bls;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// `stele bench bls`: Stele's BLS12-381 against @noble/curves (node, tests/interop/noble/bench.mjs) on the same
/// bytes in the same run; medians per operation and the speed ratio. The two sides are measured alternately,
/// one run each in turn, so each ratio compares runs taken seconds apart under the same machine load.
/// </summary>
internal static class BenchBlsCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Measured runs per operation (after one warm-up).", DefaultValueFactory = _ => 5 };
        var count = new Option<int>("--count") { Description = "Signers for the aggregation benchmarks.", DefaultValueFactory = _ => 65536 };
        var subset = new Option<int>("--noble-subset") { Description = "Items noble decodes in the byte-aggregation runs (scaled up to --count).", DefaultValueFactory = _ => 1024 };
        var skipNoble = new Option<bool>("--no-noble") { Description = "Measure Stele only." };
        var command = new Command("bls", "BLS12-381: sign, verify, batch verify, aggregation, decompression; Stele vs @noble/curves.");
        command.Options.Add(runs);
        command.Options.Add(count);
        command.Options.Add(subset);
        command.Options.Add(skipNoble);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            int runCount = parse.GetValue(runs), n = parse.GetValue(count);
            if (runCount < 1) throw new CliException("--runs must be at least 1");
            if (n < 2) throw new CliException("--count must be at least 2");
            await RunAsync(runCount, n, Math.Min(parse.GetValue(subset), n), !parse.GetValue(skipNoble), ct);
            return 0;
        });
        return command;
    }

    private sealed record Row(string Operation, double SteleMs, double? NobleMs, string Note);

    private static async Task RunAsync(int runs, int count, int nobleSubset, bool withNoble, CancellationToken ct)
    {
        Console.Error.WriteLine($"building fixture: {count} signers …");
        var message = new byte[32];
        Array.Fill(message, (byte)0xab);
        using var key = BlsSecretKey.KeyGen(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var pk = key.PublicKey;
        var sig = key.Sign(message);
        var (keys, sigs) = BenchmarkFixtures.SignersOfOneMessage(key, message, count);
        var packed = new byte[count * 96];
        var packedU = new byte[count * 192];
        for (int i = 0; i < count; i++)
        {
            sigs[i].WriteBytes(packed.AsSpan(i * 96, 96));
            sigs[i].WriteUncompressedBytes(packedU.AsSpan(i * 192, 192));
        }
        var aggregateSignature = Bls.Aggregate(sigs);
        if (!Bls.FastAggregateVerify(keys, message, aggregateSignature)) throw new CliException("fixture self-check failed");

        var batch = new BlsSignatureSet[64];
        for (int i = 0; i < batch.Length; i++)
        {
            var m = new byte[32];
            m[0] = (byte)i;
            using var k = BlsSecretKey.KeyGen(Enumerable.Range(0, 32).Select(j => (byte)(i * 31 + j)).ToArray());
            batch[i] = new BlsSignatureSet(k.PublicKey, m, k.Sign(m));
        }
        var g1Samples = keys.Take(64).Select(k => k.PublicKey.ToBytes()).ToArray();
        var g2Samples = sigs.Take(16).Select(s => s.ToBytes()).ToArray();

        var operations = new List<(string Op, int Inner, Action<int> Run)>
        {
            ("sign", 20, _ => key.Sign(message)),
            ("verify", 20, _ => Check(Bls.Verify(pk, message, sig))),
            ("batch-verify 64", 1, _ => Check(Bls.BatchVerify(batch))),
            ($"aggregate {count} sigs, compressed", 1, _ => AggregatePacked(packed, 96)),
            ($"aggregate {count} sigs, uncompressed", 1, _ => AggregatePacked(packedU, 192)),
            ($"aggregate {count} public keys", 1, _ => BlsAggregatePublicKey.Aggregate(keys)),
            ($"FastAggregateVerify {count} signers", 1, _ => Check(Bls.FastAggregateVerify(keys, message, aggregateSignature))),
            ("decompress G1 + subgroup check", g1Samples.Length, i => BlsPublicKey.FromBytes(g1Samples[i])),
            ("decompress G2 + subgroup check", g2Samples.Length, i => BlsSignature.FromBytes(g2Samples[i])),
        };

        var dir = Directory.CreateTempSubdirectory("stele-bench-bls-");
        NobleSession? noble = null;
        try
        {
            if (withNoble)
            {
                await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "pks_u.bin"), keys.SelectMany(k => k.PublicKey.ToUncompressedBytes()).ToArray(), ct);
                await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "sigs.bin"), packed.AsMemory(0, nobleSubset * 96), ct);
                await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "sigs_u.bin"), packedU.AsMemory(0, nobleSubset * 192), ct);
                var sk = new byte[32];
                key.ExportBytes(sk);
                var fixture = new
                {
                    count,
                    message = Hex(message),
                    secretKey = Hex(sk),
                    publicKey = Hex(pk.ToBytes()),
                    signature = Hex(sig.ToBytes()),
                    aggregateSignature = Hex(aggregateSignature.ToBytes()),
                    batch = batch.Select(s => new { publicKey = Hex(s.PublicKey.ToBytes()), message = Hex(s.Message.ToArray()), signature = Hex(s.Signature.ToBytes()) }),
                    g1Samples = g1Samples.Select(Hex),
                    g2Samples = g2Samples.Select(Hex),
                };
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, "fixture.json"), JsonSerializer.Serialize(fixture), ct);
                Console.Error.WriteLine("starting @noble/curves on the same data …");
                noble = await NobleSession.StartAsync([dir.FullName, nobleSubset.ToString(System.Globalization.CultureInfo.InvariantCulture)], ct);
            }
            JsonElement? notes = noble is null ? null : await noble.RequestAsync("notes", ct);

            // Wall time is at the mercy of the machine's load; CPU time (process user+system) much less so,
            // and the ratio is taken on CPU time: the median of the per-round ratios, each round one Stele run
            // followed by one noble run.
            var ci = System.Globalization.CultureInfo.InvariantCulture;
            string F(double v) => v.ToString("F3", ci);
            Console.WriteLine($"BLS12-381, medians of {runs} alternating runs, ms per operation; ratio = median over rounds of noble CPU / stele CPU");
            Console.WriteLine($"| operation | stele wall | stele CPU | noble wall | noble CPU | ratio (CPU) | note |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
            foreach (var (op, inner, run) in operations)
            {
                Console.Error.WriteLine($"measuring {op} …");
                Warm(inner, run);
                if (noble is not null) await noble.RequestAsync($"warm {op}", ct);
                var stele = new (double Wall, double Cpu)[runs];
                var other = new (double Wall, double Cpu)[runs];
                for (int r = 0; r < runs; r++)
                {
                    stele[r] = RunOnce(inner, run);
                    if (noble is null) continue;
                    var reply = await noble.RequestAsync($"run {op}", ct);
                    other[r] = (reply.GetProperty("wallMs").GetDouble(), reply.GetProperty("cpuMs").GetDouble());
                }
                string steleCells = $"{F(Median(stele.Select(m => m.Wall)))} | {F(Median(stele.Select(m => m.Cpu)))}";
                if (noble is null)
                {
                    Console.WriteLine($"| {op} | {steleCells} | - | - | - | |");
                    continue;
                }
                double ratio = Median(Enumerable.Range(0, runs).Select(r => other[r].Cpu / stele[r].Cpu));
                string note = notes!.Value.TryGetProperty(op, out var n) ? n.GetString() ?? "" : "";
                Console.WriteLine($"| {op} | {steleCells} | {F(Median(other.Select(m => m.Wall)))} | {F(Median(other.Select(m => m.Cpu)))} | {ratio.ToString("F1", ci)}x | {note} |");
            }
        }
        finally
        {
            if (noble is not null) await noble.DisposeAsync();
            dir.Delete(recursive: true);
        }
    }

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    private static void Check(bool ok)
    {
        if (!ok) throw new CliException("benchmark self-check failed: a valid signature did not verify");
    }

    private static void AggregatePacked(byte[] packed, int itemLength)
    {
        var aggregator = new BlsSignatureAggregator();
        aggregator.AddPacked(packed, itemLength);
        aggregator.ToSignature();
    }

    /// <summary>
    /// Repeats the operation for at least two seconds of wall time and two seconds of CPU time (and one full
    /// run), so both sides are measured at steady state: under load the .NET tiered JIT took several seconds
    /// of CPU to move the pairing code from Tier 0 (about 3x slower) through instrumented code to Tier 1, and
    /// process CPU time also counts its background compilations. bench.mjs warms noble up by the same rule.
    /// </summary>
    private static void Warm(int inner, Action<int> op)
    {
        using var self = Process.GetCurrentProcess();
        var warm = Stopwatch.StartNew();
        var warmCpu = self.TotalProcessorTime;
        for (int i = 0; ; i++)
        {
            op(i % inner);
            if (i + 1 < inner || warm.ElapsedMilliseconds < 2000) continue;
            self.Refresh();
            if ((self.TotalProcessorTime - warmCpu).TotalMilliseconds >= 2000) break;
        }
    }

    /// <summary>One run of <paramref name="inner"/> calls: mean wall and CPU time per call (ms).</summary>
    private static (double Wall, double Cpu) RunOnce(int inner, Action<int> op)
    {
        using var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < inner; i++) op(i);
        double wall = sw.Elapsed.TotalMilliseconds / inner;
        self.Refresh();
        return (wall, (self.TotalProcessorTime - cpu0).TotalMilliseconds / inner);
    }

    private static double Median(IEnumerable<double> values)
    {
        var xs = values.ToArray();
        Array.Sort(xs);
        int n = xs.Length;
        return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
    }

    /// <summary>A running `node bench.mjs`: one request line out, one JSON line back (see the script's header).</summary>
    private sealed class NobleSession : IAsyncDisposable
    {
        private readonly Process _process;

        private NobleSession(Process process) => _process = process;

        public static async Task<NobleSession> StartAsync(string[] args, CancellationToken ct)
        {
            var dir = await NobleRunner.EnsureInstalledAsync(ct);
            var psi = new ProcessStartInfo("node") { WorkingDirectory = dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("bench.mjs");
            foreach (var a in args) psi.ArgumentList.Add(a);
            try
            {
                return new NobleSession(Process.Start(psi) ?? throw new CliException("could not start node"));
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new CliException("'node' is not installed or not on PATH (needed for the noble comparison; use --no-noble to skip)");
            }
        }

        public async Task<JsonElement> RequestAsync(string line, CancellationToken ct)
        {
            await _process.StandardInput.WriteLineAsync(line.AsMemory(), ct);
            await _process.StandardInput.FlushAsync(ct);
            var reply = await _process.StandardOutput.ReadLineAsync(ct);
            if (reply is null)
            {
                var err = await _process.StandardError.ReadToEndAsync(ct);
                throw new CliException($"node bench.mjs stopped: {err.Trim().Split('\n').LastOrDefault()}");
            }
            var json = JsonDocument.Parse(reply).RootElement;
            if (json.TryGetProperty("error", out var error)) throw new CliException($"node bench.mjs: {error.GetString()}");
            return json;
        }

        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }

    /// <summary>Finds tests/interop/noble and installs the pinned packages there if needed.</summary>
    private static class NobleRunner
    {
        /// <summary>The noble directory, after `npm ci` there if the packages are missing.</summary>
        public static async Task<string> EnsureInstalledAsync(CancellationToken ct)
        {
            var dir = Locate();
            if (!Directory.Exists(Path.Combine(dir, "node_modules", "@noble", "curves")))
            {
                Console.Error.WriteLine($"installing @noble/curves in {dir} (npm ci) …");
                var (code, _, err) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund"], dir, ct);
                if (code != 0) throw new CliException($"npm ci failed in {dir}: {err.Trim()}");
            }
            return dir;
        }

        private static string Locate()
        {
            var env = Environment.GetEnvironmentVariable("STELE_NOBLE_DIR");
            if (!string.IsNullOrEmpty(env)) return env;
            foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                {
                    var candidate = Path.Combine(d.FullName, "tests", "interop", "noble");
                    if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
                }
            }
            throw new CliException("tests/interop/noble not found: run from the repository or set STELE_NOBLE_DIR");
        }

        private static async Task<(int Code, string Stdout, string Stderr)> ExecAsync(string file, string[] args, string dir, CancellationToken ct)
        {
            var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            Process p;
            try
            {
                p = Process.Start(psi) ?? throw new CliException($"could not start {file}");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new CliException($"'{file}' is not installed or not on PATH (needed for the noble comparison; use --no-noble to skip)");
            }
            using (p)
            {
                var stdout = p.StandardOutput.ReadToEndAsync(ct);
                var stderr = p.StandardError.ReadToEndAsync(ct);
                await p.WaitForExitAsync(ct);
                return (p.ExitCode, await stdout, await stderr);
            }
        }
    }
}
