using System.Collections.Frozen;

namespace Stele.Broker.Clients;

/// <summary>An immutable snapshot of the registered clients; the worker swaps in a new one after each refresh.</summary>
public sealed class ClientDirectory
{
    public static readonly ClientDirectory Empty = new([]);

    private readonly FrozenDictionary<ulong, RegisteredClient> _clients;

    public ClientDirectory(IEnumerable<RegisteredClient> clients) => _clients = clients.ToFrozenDictionary(c => c.Id);

    public int Count => _clients.Count;

    public bool TryGet(ulong id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredClient? client) => _clients.TryGetValue(id, out client);

    public IEnumerable<RegisteredClient> All => _clients.Values;
}
