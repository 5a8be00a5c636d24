namespace Stele.Tlog;

/// <summary>The 0-based position of a leaf. Deliberately not convertible to or from <see cref="TreeSize"/>.</summary>
public readonly record struct LeafIndex(ulong Value) : IComparable<LeafIndex>
{
    public int CompareTo(LeafIndex other) => Value.CompareTo(other.Value);

    public static bool operator <(LeafIndex left, LeafIndex right) => left.Value < right.Value;
    public static bool operator >(LeafIndex left, LeafIndex right) => left.Value > right.Value;
    public static bool operator <=(LeafIndex left, LeafIndex right) => left.Value <= right.Value;
    public static bool operator >=(LeafIndex left, LeafIndex right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
