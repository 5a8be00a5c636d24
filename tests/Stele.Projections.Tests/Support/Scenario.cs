using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Projections.Fold;

namespace Stele.Projections.Tests.Support;

/// <summary>A fixed history for publication tests: registrations, entries (one large), batches of both kinds, and refused events.</summary>
internal sealed class Scenario : IDisposable
{
    public Scenario(LogOrigin origin, int entries = 300)
    {
        Alice = new TestClient(origin);
        Bob = new TestClient(origin);
        var round1 = new List<object> { Alice.Registration(), Bob.Registration() };
        for (ulong s = 1; s <= (ulong)entries; s++) round1.Add(Alice.Entry(s, Openings));
        var round2 = new List<object>
        {
            Bob.Batch(Enumerable.Range(1, 40).Select(i => (ulong)i), Openings),
            Bob.Entry(5, Openings), // replay of a batched sequence: refused
            Distiller.Distil(origin, [(Alice, 1000), (Bob, 100), (Bob, 101)], Openings, new HashSet<TestClient> { Bob }),
            Alice.Entry(2000, Openings, new byte[PayloadSlot.InlineLimit + 10]),
            Alice.Entry(2001, Openings) with { Signature = new byte[64] }, // forged: refused
        };
        Rounds = [round1, round2];
    }

    public TestClient Alice { get; }
    public TestClient Bob { get; }
    public OpeningTable Openings { get; } = new();
    public List<List<object>> Rounds { get; }

    public int AcceptedLeaves(int entries = 300) => 2 + entries + 40 + 3 + 1;

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
    }
}
