using Stele.Cli.Commands.Digest;
using Stele.Client;

namespace Stele.Cli.Commands;

/// <summary>
/// `stele submit`'s progress on stderr for large contents: one line per pass (hashing, then
/// uploading) with MiB done, percentage and MiB/s, redrawn a few times a second; silent for small ones.
/// </summary>
internal sealed class SubmitProgressLine(bool enabled) : IProgress<SubmitProgress>
{
    private readonly Lock _gate = new();
    private SubmitPhase? _phase;
    private DigestProgress? _line;
    private long _done;

    public void Report(SubmitProgress value)
    {
        lock (_gate)
        {
            if (_phase != value.Phase)
            {
                _line?.Complete(_done);
                _phase = value.Phase;
                var name = value.Phase == SubmitPhase.Hashing ? "submit: hashing" : "submit: uploading";
                _line = new DigestProgress(name, (long?)value.TotalBytes, enabled);
            }
            _done = (long)value.BytesDone;
            _line!.Report(_done);
        }
    }

    /// <summary>Ends the last line drawn, if any.</summary>
    public void Complete()
    {
        lock (_gate) _line?.Complete(_done);
    }
}
