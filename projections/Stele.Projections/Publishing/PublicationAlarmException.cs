namespace Stele.Projections.Publishing;

/// <summary>
/// Publishing found something that must never happen: an immutable file that exists with other bytes,
/// or a published checkpoint this log did not sign or that forks from it. The publisher stops
/// and overwrites nothing; an operator must look.
/// </summary>
public sealed class PublicationAlarmException(string key, string message) : Exception($"ALARM {key}: {message}")
{
    public string Key { get; } = key;
}
