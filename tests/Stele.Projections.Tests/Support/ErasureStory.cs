using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Projections.Fold;

namespace Stele.Projections.Tests.Support;

/// <summary>
/// A history with erasures. Round 1: Alice registers (leaf 0) and posts entries 1…299 (leaves 1…299),
/// a large one (leaf 300) and a small one (leaf 301). Round 2 erases leaf 5 (an inline entry in the
/// full group 0), leaf 300 (a blob in the partial group 1), tries leaf 0 (a registration: refused),
/// then posts a large entry (leaf 304) and erases it in the same round.
/// </summary>
internal sealed class ErasureStory : IDisposable
{
    public static readonly DateTimeOffset At = new(2026, 11, 21, 18, 30, 0, TimeSpan.Zero);

    public ErasureStory(LogOrigin origin)
    {
        Alice = new TestClient(origin);
        var round1 = new List<object> { Alice.Registration() };
        for (ulong s = 1; s <= 299; s++) round1.Add(Alice.Entry(s, Openings, s == 5 ? "yes"u8.ToArray() : null));
        round1.Add(Alice.Entry(300, Openings, Large(1)));
        round1.Add(Alice.Entry(301, Openings));
        SameRound = Alice.Entry(302, Openings, Large(2));
        Round1 = round1;
        Round2 = [Redact(5), Redact(300), Redact(0), SameRound, Redact(304)];
        Erased = [(5, 302, Entry(5)), (300, 303, Entry(300)), (304, 305, SameRound)];
    }

    public TestClient Alice { get; }
    public OpeningTable Openings { get; } = new();
    public List<object> Round1 { get; }
    public List<object> Round2 { get; }
    public EntrySubmitted SameRound { get; }

    /// <summary>Target leaf, notice leaf and the entry of each accepted erasure.</summary>
    public (ulong Target, ulong Notice, EntrySubmitted Entry)[] Erased { get; }

    public const ulong FinalSize = 306;

    public EntrySubmitted Entry(ulong sequence) => Round1.OfType<EntrySubmitted>().Single(e => e.Entry.Sequence == sequence);

    public Opening OpeningOf(EntrySubmitted entry) =>
        Openings.TryGet(Commitment.FromBytes(entry.Entry.Commitment), out var opening) ? opening : throw new InvalidOperationException("no opening");

    public static EntryRedacted Redact(ulong leaf) => new(leaf, "data subject request #" + leaf, "GDPR art. 17(1)(a)", At);

    /// <summary>Large content with a recognisable, non-repeating pattern.</summary>
    public static byte[] Large(int seed)
    {
        var bytes = new byte[PayloadSlot.InlineLimit + 4096];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => Alice.Dispose();
}
