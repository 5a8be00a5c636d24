using System.Globalization;

namespace Stele.Client;

/// <summary>
/// Hands out a client's sequence numbers, strictly increasing. Backed by a small file beside the
/// key file (locked while it is read and advanced, so two processes never get the same number)
/// or by memory. A fresh counter starts at the current Unix time in microseconds, so a lost
/// counter file never makes a client replay its own old numbers.
/// </summary>
public sealed class SequenceCounter
{
    private readonly string? _path;
    private readonly Lock _gate = new();
    private ulong _last;

    private SequenceCounter(string? path, ulong last)
    {
        _path = path;
        _last = last;
    }

    public static SequenceCounter InMemory() => new(null, NowMicros() - 1);

    /// <summary>The counter kept in <c>KEYFILE.seq</c>.</summary>
    public static SequenceCounter ForKeyFile(string keyFile) => new(Path.GetFullPath(keyFile) + ".seq", 0);

    /// <summary>Reserves <paramref name="count"/> consecutive numbers and returns the first.</summary>
    public ulong Reserve(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            if (_path is null)
            {
                var first = Math.Max(_last + 1, NowMicros());
                _last = first + (ulong)count - 1;
                return first;
            }
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = OpenLocked(_path, options);
            using var reader = new StreamReader(file, leaveOpen: true);
            var text = reader.ReadToEnd().Trim();
            var last = text.Length == 0 ? 0 : ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            var next = Math.Max(last + 1, NowMicros());
            var newLast = next + (ulong)count - 1;
            file.SetLength(0);
            file.Position = 0;
            var bytes = System.Text.Encoding.ASCII.GetBytes(newLast.ToString(CultureInfo.InvariantCulture) + "\n");
            file.Write(bytes);
            file.Flush(flushToDisk: true);
            return next;
        }
    }

    // FileShare.None is an advisory lock between .NET processes; retry briefly if another holds it.
    private static FileStream OpenLocked(string path, FileStreamOptions options)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(10);
            }
        }
    }

    private static ulong NowMicros() => (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
}
