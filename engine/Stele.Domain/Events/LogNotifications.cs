namespace Stele.Domain.Events;

/// <summary>PostgreSQL NOTIFY channels between the log's processes (docs/projections.md).</summary>
public static class LogNotifications
{
    /// <summary>
    /// Sent by the publisher in the transaction that commits a cycle's read models (entry statuses,
    /// log state), so it is delivered exactly when they become visible; the payload is the published
    /// tree size. Waiters for inclusion wake on it instead of polling.
    /// </summary>
    public const string Published = "stele_published";
}
