using Stele.Domain.Records;

namespace Stele.Projections.Fold;

/// <summary>
/// Records of leaves folded in earlier cycles that this run of events needs (the targets of its
/// redactions), loaded by the caller from the published bundles before the fold runs.
/// </summary>
public interface ILeafRecords
{
    bool TryGet(ulong leaf, out LeafRecord record);
}

/// <summary>Leaf records held in a dictionary.</summary>
public sealed class LeafRecordTable : ILeafRecords
{
    public static readonly LeafRecordTable Empty = new();

    private readonly Dictionary<ulong, LeafRecord> _records = [];

    public int Count => _records.Count;

    public void Add(ulong leaf, LeafRecord record) => _records[leaf] = record;

    public bool TryGet(ulong leaf, out LeafRecord record) => _records.TryGetValue(leaf, out record!);
}
