using Stele.Broker.Protocol;

namespace Stele.Broker.Counters;

/// <summary>Thread-safe counters (one 64-bit slot per <see cref="BrokerCounter"/>), read by the CLI and the STATS datagram.</summary>
public sealed class BrokerCounters
{
    public const int Slots = StatsMessage.MaxCounters;
    private readonly long[] _values = new long[Slots];

    public void Add(BrokerCounter counter, long amount = 1) => Interlocked.Add(ref _values[(int)counter], amount);

    public long this[BrokerCounter counter] => Volatile.Read(ref _values[(int)counter]);

    /// <summary>A consistent-enough copy of all slots (each read atomically).</summary>
    public long[] Snapshot()
    {
        var copy = new long[Slots];
        for (var i = 0; i < Slots; i++) copy[i] = Volatile.Read(ref _values[i]);
        return copy;
    }

    public static BrokerCounter ForDecodeError(DecodeError error) => error switch
    {
        DecodeError.Truncated => BrokerCounter.DroppedTruncated,
        DecodeError.Oversized => BrokerCounter.DroppedOversized,
        DecodeError.UnsupportedVersion => BrokerCounter.DroppedUnsupportedVersion,
        _ => BrokerCounter.DroppedMalformed,
    };

    /// <summary>"name value" lines of every non-zero counter, for the CLI.</summary>
    public static IEnumerable<(string Name, long Value)> Describe(IReadOnlyList<long> values)
    {
        foreach (var counter in Enum.GetValues<BrokerCounter>())
        {
            var value = (int)counter < values.Count ? values[(int)counter] : 0;
            if (value != 0) yield return (Name(counter), value);
        }
    }

    /// <summary>snake_case name of a counter, e.g. dropped_unknown_client.</summary>
    public static string Name(BrokerCounter counter) =>
        string.Concat(counter.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
