using System.Diagnostics;

namespace Stele.Cli.Commands.Digest;

/// <summary>
/// A one-line progress meter on stderr for large inputs, redrawn a few times a second.
/// Silent until the input is known (or seen) to exceed the threshold.
/// </summary>
internal sealed class DigestProgress(string name, long? totalBytes, bool enabled)
{
    public const long Threshold = 256L << 20;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private bool _drawn;

    public void Report(long bytesDone)
    {
        if (!enabled || (totalBytes ?? bytesDone) <= Threshold) return;
        var now = _clock.Elapsed;
        if (_lastDraw is { } last && now - last < Interval) return;
        _lastDraw = now;
        Draw(bytesDone, now);
    }

    /// <summary>Draws the final state and ends the line, if anything was drawn.</summary>
    public void Complete(long bytesDone)
    {
        if (!_drawn) return;
        Draw(bytesDone, _clock.Elapsed);
        Console.Error.WriteLine();
    }

    private void Draw(long bytesDone, TimeSpan elapsed)
    {
        var rate = bytesDone / Math.Max(elapsed.TotalSeconds, 1e-6) / (1 << 20);
        var of = totalBytes is { } total && total > 0
            ? $" / {Mib(total)} MiB ({100.0 * bytesDone / total:F0}%)"
            : "";
        Console.Error.Write($"\r{name}: {Mib(bytesDone)} MiB{of}, {rate:F0} MiB/s   ");
        _drawn = true;
    }

    private static string Mib(long bytes) => (bytes / (double)(1 << 20)).ToString("F0");
}
