using System.Globalization;
using Npgsql;
using Stele.Cli.Commands.Digest;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// CPU seconds spent by this process and by the PostgreSQL cluster (postmaster, its live children
/// and the children it reaped). On a shared 2-core machine wall rates mostly measure the other
/// tenants; CPU per entry measures the work, and 2 cores / (CPU per entry) bounds the rate.
/// </summary>
internal sealed class LogBenchCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux ABI .NET runs on

    private readonly int? _postmaster;

    private LogBenchCpu(int? postmaster) => _postmaster = postmaster;

    public static async Task<LogBenchCpu> ForClusterAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var command = database.CreateCommand("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
        var directory = await command.ExecuteScalarAsync(ct) as string;
        var pidFile = directory is null ? null : Path.Combine(directory, "postmaster.pid");
        int? pid = null;
        try
        {
            if (pidFile is not null && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var found)) pid = found;
        }
        catch (IOException)
        {
            // a remote or unreadable cluster: its CPU is simply not reported
        }
        catch (UnauthorizedAccessException)
        {
        }
        return new LogBenchCpu(pid);
    }

    public Sample Take() => new(CpuTime.ThisProcess(), _postmaster is { } pid ? ClusterSeconds(pid) : double.NaN);

    /// <summary>CPU seconds of this process and of PostgreSQL at one moment.</summary>
    public readonly record struct Sample(double Bench, double Postgres)
    {
        public static Sample operator -(Sample a, Sample b) => new(a.Bench - b.Bench, a.Postgres - b.Postgres);

        /// <summary>"bench 123 µs + PostgreSQL 456 µs CPU per entry".</summary>
        public string PerEntry(double entries) => entries <= 0
            ? "no entries"
            : $"CPU per entry: this process {Bench / entries * 1e6:N0} µs + PostgreSQL {Postgres / entries * 1e6:N0} µs " +
              $"(CPU-bound ceiling on {Environment.ProcessorCount} idle cores: {Environment.ProcessorCount * entries / (Bench + Postgres):N0}/s)";
    }

    private static double ClusterSeconds(int postmaster)
    {
        var total = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var stat = ReadStat(pid);
            if (stat is null) continue;
            var (parent, self, reaped) = stat.Value;
            if (pid == postmaster) total += self + reaped;
            else if (parent == postmaster) total += self;
        }
        return total / TicksPerSecond;
    }

    // /proc/PID/stat: "pid (comm) state ppid … utime stime cutime cstime …" (fields 4, 14–17); comm may hold spaces.
    private static (int Parent, double Self, double Reaped)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // exited meanwhile, or not ours to read
        }
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var utime = double.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = double.Parse(fields[12], CultureInfo.InvariantCulture);
        var cutime = double.Parse(fields[13], CultureInfo.InvariantCulture);
        var cstime = double.Parse(fields[14], CultureInfo.InvariantCulture);
        return (parent, utime + stime, cutime + cstime);
    }
}
