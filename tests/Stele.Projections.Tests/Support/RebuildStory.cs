using Stele.Domain.Events;
using Stele.Domain.Identity;
using Stele.Domain.Payloads;
using Stele.Projections.Daemon;
using Stele.Projections.Fold;
using Stele.Storage;

namespace Stele.Projections.Tests.Support;

/// <summary>
/// A live log to rebuild: the <see cref="ErasureStory"/> (entries, inline large ones, three erasures
/// and a refused one) then Bob's registration, a batch, and a blob stored the API's way (at its
/// published key on the live store, the opening naming it), folded live in small cycles.
/// </summary>
internal sealed class RebuildStory : IDisposable
{
    public RebuildStory(LogOrigin origin)
    {
        Erasure = new ErasureStory(origin);
        Bob = new TestClient(origin);
    }

    public ErasureStory Erasure { get; }
    public TestClient Bob { get; }

    /// <summary>Posts both rounds into <paramref name="log"/> and folds them live onto <paramref name="live"/>.</summary>
    public async Task PublishLiveAsync(TestLog log, IObjectStore live, LogKey key)
    {
        var openings = Erasure.Openings;
        var (facts, descriptor, commitment, opening) = Bob.Content(1, ErasureStory.Large(9), "application/octet-stream");
        var blobKey = BlobPayload.KeyFor(commitment);
        await live.PutBytesAsync(blobKey, opening.Content!.Value.ToArray(), Publishing.PublishedObjects.Immutable);
        openings.Add(commitment, new Opening(opening.Salt, opening.Size, null, blobKey));
        var blobEntry = new EntrySubmitted(facts, Bob.SignEntry(descriptor), ErasureStory.At);
        var batch = Bob.Batch(Enumerable.Range(2, 30).Select(i => (ulong)i), openings);

        await log.PostAsync(openings, [.. Erasure.Round1]);
        var projection = await LogProjection.OpenAsync(log.Events, log.DataSource, live, key);
        await projection.CatchUpAsync(maxEventsPerCycle: 100);
        await log.PostAsync(openings, [.. Erasure.Round2]);
        await projection.CatchUpAsync(maxEventsPerCycle: 2);
        await log.PostAsync(openings, Bob.Registration(), blobEntry, batch); // after the erasures: ErasureStory's leaf numbers hold
        await projection.CatchUpAsync(maxEventsPerCycle: 100);
    }

    public void Dispose()
    {
        Erasure.Dispose();
        Bob.Dispose();
    }
}
