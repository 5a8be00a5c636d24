namespace Stele.Broker.BackPressure;

/// <summary>
/// Per-source token buckets (rate per second, small burst) in a fixed open table indexed by a hash of
/// the source address: no allocation per source, bounded memory whatever the number of sources. Two
/// sources that collide share a bucket, which only ever makes the limit stricter.
/// </summary>
internal sealed class SourceRateLimiter
{
    private const int TableSize = 1 << 16;
    private readonly double _ratePerTick;
    private readonly double _burst;
    private readonly double[] _tokens = new double[TableSize];
    private readonly long[] _last = new long[TableSize];
    private readonly ulong[] _owner = new ulong[TableSize];

    /// <param name="ratePerSecond">0 disables the limit.</param>
    public SourceRateLimiter(double ratePerSecond, int burst, long ticksPerSecond)
    {
        _ratePerTick = ratePerSecond / ticksPerSecond;
        _burst = burst;
        Enabled = ratePerSecond > 0;
    }

    public bool Enabled { get; }

    /// <summary>Takes one token for <paramref name="source"/>; false when its bucket is empty.</summary>
    public bool TryTake(ulong source, long now)
    {
        if (!Enabled) return true;
        var i = (int)((source * 0x9E3779B97F4A7C15UL) >> 48);
        if (_owner[i] != source)
        {
            // a new source takes over the slot with a full burst; a returning one refills by elapsed time
            if (_owner[i] == 0 || now - _last[i] > (long)(_burst / _ratePerTick))
            {
                _owner[i] = source;
                _tokens[i] = _burst;
                _last[i] = now;
            }
        }
        var tokens = Math.Min(_burst, _tokens[i] + (now - _last[i]) * _ratePerTick);
        _last[i] = now;
        if (tokens < 1)
        {
            _tokens[i] = tokens;
            return false;
        }
        _tokens[i] = tokens - 1;
        return true;
    }
}
