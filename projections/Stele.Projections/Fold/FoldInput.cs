namespace Stele.Projections.Fold;

/// <summary>One event of the log stream with its global position, as the fold consumes it.</summary>
public readonly record struct FoldInput(long Position, object Event);
