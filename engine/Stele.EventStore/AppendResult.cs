namespace Stele.EventStore;

/// <summary>Where an append landed.</summary>
/// <param name="StreamVersion">The stream's version after the append: pass it as the next <see cref="ExpectedVersion.Exactly"/>.</param>
/// <param name="FirstPosition">Global position of the first appended event.</param>
/// <param name="LastPosition">Global position of the last appended event (positions of one append are consecutive).</param>
public sealed record AppendResult(long StreamVersion, long FirstPosition, long LastPosition)
{
    public ExpectedVersion NextExpectedVersion => ExpectedVersion.Exactly(StreamVersion);
}
