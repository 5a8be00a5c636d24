namespace Stele.Tlog;

/// <summary>The number of leaves in a tree. Deliberately not convertible to or from <see cref="LeafIndex"/>.</summary>
public readonly record struct TreeSize(ulong Value) : IComparable<TreeSize>
{
    public static TreeSize Empty => default;

    public bool IsEmpty => Value == 0;

    /// <summary>True when the leaf at <paramref name="index"/> is part of a tree of this size.</summary>
    public bool Contains(LeafIndex index) => index.Value < Value;

    /// <summary>The index the next appended leaf will get.</summary>
    public LeafIndex NextLeaf => new(Value);

    /// <summary>This size grown by <paramref name="leaves"/> leaves (throws on overflow).</summary>
    public TreeSize Grow(ulong leaves) => new(checked(Value + leaves));

    public int CompareTo(TreeSize other) => Value.CompareTo(other.Value);

    public static bool operator <(TreeSize left, TreeSize right) => left.Value < right.Value;
    public static bool operator >(TreeSize left, TreeSize right) => left.Value > right.Value;
    public static bool operator <=(TreeSize left, TreeSize right) => left.Value <= right.Value;
    public static bool operator >=(TreeSize left, TreeSize right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
