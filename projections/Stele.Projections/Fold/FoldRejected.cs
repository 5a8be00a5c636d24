namespace Stele.Projections.Fold;

/// <summary>Thrown inside the fold to refuse the current event with a reason; never escapes it.</summary>
internal sealed class FoldRejected(string reason) : Exception(reason);
