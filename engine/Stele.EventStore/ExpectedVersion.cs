namespace Stele.EventStore;

/// <summary>
/// What an append expects the stream's version to be (its last event number; events count from 1).
/// A mismatch raises <see cref="WrongExpectedVersionException"/> and writes nothing.
/// </summary>
public readonly record struct ExpectedVersion
{
    private const long AnyValue = -1;

    private ExpectedVersion(long value) => Value = value;

    /// <summary>-1 = any, 0 = no stream, n = exactly n. The encoding the SQL functions take.</summary>
    internal long Value { get; }

    /// <summary>Append whatever the stream's version is (no concurrency check).</summary>
    public static ExpectedVersion Any { get; } = new(AnyValue);

    /// <summary>The stream must not exist yet.</summary>
    public static ExpectedVersion NoStream { get; } = new(0);

    /// <summary>The stream must be at exactly this version; 0 means it must not exist.</summary>
    public static ExpectedVersion Exactly(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new(version);
    }

    public bool IsAny => Value == AnyValue;

    public override string ToString() => Value switch
    {
        AnyValue => "any",
        0 => "no stream",
        _ => $"version {Value}",
    };
}
