using Stele.Domain.Content;

namespace Stele.Projections.Fold;

/// <summary>
/// An entry's opening as stored in stele.contents: the salt, the size, and the content itself when
/// small (or when loaded for an inline slot), otherwise the object key the API streamed it to.
/// </summary>
public sealed record Opening(Salt Salt, ulong Size, ReadOnlyMemory<byte>? Content, string? BlobKey);

/// <summary>The openings the fold may consult, by commitment (loaded for one cycle).</summary>
public interface IOpeningLookup
{
    bool TryGet(Commitment commitment, out Opening opening);
}

/// <summary>Openings held in a dictionary: what the publisher loads per cycle, and what unit tests build.</summary>
public sealed class OpeningTable : IOpeningLookup, IEnumerable<KeyValuePair<Commitment, Opening>>
{
    private readonly Dictionary<Commitment, Opening> _openings = [];

    public int Count => _openings.Count;

    public void Add(Commitment commitment, Opening opening) => _openings[commitment] = opening;

    public bool TryGet(Commitment commitment, out Opening opening) => _openings.TryGetValue(commitment, out opening!);

    public IEnumerator<KeyValuePair<Commitment, Opening>> GetEnumerator() => _openings.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
