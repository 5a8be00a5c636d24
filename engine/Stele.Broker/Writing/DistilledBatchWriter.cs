using Npgsql;
using Stele.Domain.Events;
using Stele.EventStore;

namespace Stele.Broker.Writing;

/// <summary>
/// Appends a distilled batch in ONE transaction: the BatchDistilled event to the log stream (the
/// transaction's first write, as the event store requires), each client's sequence reservation in
/// stele.client_sequences (the replay guard the HTTP API shares), and the batch's openings PACKED in
/// one stele.packed_openings row keyed by the event's position (migration 0008), which also refuses,
/// with one set-based check, a batch holding an erased commitment. Anything failing rolls all of it back.
/// The write is split in two (<see cref="BeginAsync"/>, <see cref="PendingBatchWrite.CompleteAsync"/>) so
/// that the next batch's append can be on its way while this one finishes (<see cref="PipelinedBatchWrites"/>).
/// </summary>
public sealed class DistilledBatchWriter(NpgsqlDataSource database, PostgresEventStore events)
{
    /// <summary>Writes the batch; returns its stream position. Throws <see cref="BatchWriteException"/> when the board refuses it.</summary>
    internal async Task<long> WriteAsync(DistilledBatch batch, CancellationToken cancellationToken)
    {
        var pending = await BeginAsync(batch, cancellationToken).ConfigureAwait(false);
        return await pending.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the batch's transaction and appends its event. When this returns, the transaction holds the
    /// log stream's append lock (taken in stele.begin_append, released at commit or rollback), so any
    /// append started after it lands later in the stream: that is what keeps batches in close order.
    /// </summary>
    internal async Task<PendingBatchWrite> BeginAsync(DistilledBatch batch, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var appended = await events.AppendInTransactionAsync(
                connection, transaction, LogEventTypes.LogStream, ExpectedVersion.Any, [batch.Event], cancellationToken).ConfigureAwait(false);
            return new PendingBatchWrite(batch, connection, transaction, appended.FirstPosition);
        }
        catch
        {
            if (transaction is not null) await transaction.DisposeAsync().ConfigureAwait(false); // rolls back
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>The board refused a batch (e.g. a sequence conflict); the message is one line.</summary>
public sealed class BatchWriteException(string message) : Exception(message);
