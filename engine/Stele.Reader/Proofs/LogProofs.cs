using Stele.Tlog;

namespace Stele.Reader.Proofs;

/// <summary>A leaf's inclusion in a verified checkpoint, with the record it proves.</summary>
public sealed record InclusionProof(string Origin, TreeSize Size, Hash Root, LeafIndex Leaf, Hash LeafHash, IReadOnlyList<Hash> Path, ReadOnlyMemory<byte> Record);

/// <summary>An older tree's consistency with a verified checkpoint.</summary>
public sealed record ConsistencyProof(string Origin, TreeSize OldSize, Hash OldRoot, TreeSize Size, Hash Root, IReadOnlyList<Hash> Path);
