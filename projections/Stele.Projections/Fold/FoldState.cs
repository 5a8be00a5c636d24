using Stele.Domain.Content;
using Stele.Domain.Identity;

namespace Stele.Projections.Fold;

/// <summary>
/// What the fold remembers between events: registered clients (with their last sequence), the tree
/// size, and the erasures folded so far (target leaf → notice leaf, and the erased commitments).
/// </summary>
public sealed class FoldState
{
    private readonly Dictionary<ClientId, KnownClient> _clients = [];
    private readonly Dictionary<ulong, ulong> _erasedLeaves = [];
    private readonly HashSet<Commitment> _erasedCommitments = [];
    private readonly HashSet<ulong> _erasuresAhead = [];

    public FoldState(ulong treeSize = 0) => TreeSize = treeSize;

    /// <summary>Number of leaves assigned so far: the index the next leaf gets.</summary>
    public ulong TreeSize { get; internal set; }

    public int ClientCount => _clients.Count;

    public int ErasureCount => _erasedLeaves.Count;

    public bool TryGetClient(ClientId id, out KnownClient client) => _clients.TryGetValue(id, out client!);

    public void AddClient(KnownClient client) => _clients.Add(client.Id, client);

    /// <summary>Records an erasure already folded (when resuming from the read model).</summary>
    public void AddErasure(ulong target, ulong notice, Commitment commitment)
    {
        _erasedLeaves.Add(target, notice);
        _erasedCommitments.Add(commitment);
    }

    public bool IsErased(ulong leaf, out ulong notice) => _erasedLeaves.TryGetValue(leaf, out notice);

    public bool IsErasedCommitment(Commitment commitment) => _erasedCommitments.Contains(commitment);

    /// <summary>
    /// Leaves that an EntryRedacted later in the stream targets (a replay's pre-scan). Their openings
    /// are gone from stele.contents, so when such a leaf is folded without an opening it is accepted
    /// with a placeholder slot, which the redaction's fold then turns into the tombstone.
    /// </summary>
    public void ExpectErasures(IEnumerable<ulong> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _erasuresAhead.UnionWith(targets);
    }

    public bool IsErasureAhead(ulong leaf) => _erasuresAhead.Contains(leaf);
}
