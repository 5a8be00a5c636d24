namespace Stele.Storage;

/// <summary>
/// A store whose completed writes and deletes are visible at once but reach stable storage only when
/// flushed, so that many files cost one flush instead of one each (a directory store opened with
/// <see cref="Local.DirectoryDurability.Grouped"/>). A caller that must not reference a file before
/// it is durable (a checkpoint naming tiles) flushes first.
/// </summary>
public interface IDeferredDurability
{
    /// <summary>Makes every write and delete completed so far durable.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
