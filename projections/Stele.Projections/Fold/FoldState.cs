using Stele.Domain.Identity;

namespace Stele.Projections.Fold;

/// <summary>What the fold remembers between events: registered clients (with their last sequence) and the tree size.</summary>
public sealed class FoldState
{
    private readonly Dictionary<ClientId, KnownClient> _clients = [];

    public FoldState(ulong treeSize = 0) => TreeSize = treeSize;

    /// <summary>Number of leaves assigned so far: the index the next leaf gets.</summary>
    public ulong TreeSize { get; internal set; }

    public int ClientCount => _clients.Count;

    public bool TryGetClient(ClientId id, out KnownClient client) => _clients.TryGetValue(id, out client!);

    public void AddClient(KnownClient client) => _clients.Add(client.Id, client);
}
