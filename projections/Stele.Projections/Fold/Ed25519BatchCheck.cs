using Stele.Crypto.Ed25519;

namespace Stele.Projections.Fold;

/// <summary>
/// Verifies many independent Ed25519 signatures at once, in parallel: the fold's "batch verify" for
/// the individually signed entries, single-client batches and stragglers pending in one cycle.
/// </summary>
internal sealed class Ed25519BatchCheck
{
    private const int ParallelThreshold = 32;
    private readonly List<(Ed25519PublicKey Key, byte[] Message, Ed25519Signature Signature)> _jobs = [];
    private bool[] _results = [];

    /// <summary>Queues one check; returns its ticket for <see cref="IsValid"/>.</summary>
    public int Add(Ed25519PublicKey key, byte[] message, Ed25519Signature signature)
    {
        _jobs.Add((key, message, signature));
        return _jobs.Count - 1;
    }

    public int Count => _jobs.Count;

    public void Run()
    {
        _results = new bool[_jobs.Count];
        if (_jobs.Count < ParallelThreshold)
        {
            for (var i = 0; i < _jobs.Count; i++) _results[i] = Verify(i);
            return;
        }
        Parallel.For(0, _jobs.Count, i => _results[i] = Verify(i));
    }

    /// <summary>The result for a ticket, provided the key it was checked against is <paramref name="expectedKey"/>.</summary>
    public bool? IsValid(int ticket, Ed25519PublicKey expectedKey) =>
        ticket >= 0 && ticket < _results.Length && _jobs[ticket].Key == expectedKey ? _results[ticket] : null;

    private bool Verify(int i) => _jobs[i].Key.Verify(_jobs[i].Message, _jobs[i].Signature);
}
