using Stele.Broker.Batching;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Events;

namespace Stele.Broker.Writing;

/// <summary>
/// A distilled batch ready for the stream: its event, its openings packed in leaf order
/// (<see cref="PackedOpenings"/>), and each client's sequence span.
/// </summary>
internal sealed record DistilledBatch(BatchDistilled Event, byte[] Commitments, byte[] Openings, long[] Clients, long[] FirstSequences, long[] LastSequences)
{
    /// <summary>Reads the finished batch (the worker does not touch it while it is being written).</summary>
    public static DistilledBatch From(Batch batch, DistilOutcome outcome, string broker, DateTimeOffset at)
    {
        var entries = new EntryFacts[batch.Size];
        var contentBytes = 0L;
        for (var leaf = 0; leaf < batch.Size; leaf++) contentBytes += batch.ContentLength[batch.Order[leaf]];
        var packedCommitments = new byte[batch.Size * Commitment.Length];
        var packedOpenings = new byte[PackedOpenings.OpeningsLength(batch.Size, contentBytes)];
        var openings = new PackedOpenings.Writer(packedCommitments, packedOpenings);
        var mediaTypes = new List<(byte[] Bytes, string Text)>(); // a batch has few distinct media types: share their strings
        for (var leaf = 0; leaf < batch.Size; leaf++)
        {
            var e = batch.Order[leaf];
            var media = batch.MediaType(e);
            string? mediaType = null;
            foreach (var (bytes, text) in mediaTypes)
                if (media.SequenceEqual(bytes)) mediaType = text;
            if (mediaType is null)
            {
                mediaType = System.Text.Encoding.ASCII.GetString(media);
                mediaTypes.Add((media.ToArray(), mediaType));
            }
            var commitment = batch.Commitment(e).ToArray();
            entries[leaf] = new EntryFacts(batch.Client[e], batch.Sequence[e], commitment, batch.ContentLength[e], mediaType);
            openings.Add(commitment, batch.Salt(e), batch.Content(e));
        }
        var participants = outcome.ParticipantRanges.Select(r => batch.RangeClient[r]).ToArray();
        var stragglers = outcome.StragglerEntries.Select(e => new StragglerSignature(batch.Client[e], batch.Sequence[e], batch.Signature(e).ToArray()))
            .OrderBy(s => s.Client).ThenBy(s => s.Sequence).ToArray();
        var clients = new long[batch.Ranges];
        var first = new long[batch.Ranges];
        var last = new long[batch.Ranges];
        var ranges = 0;
        for (var leaf = 0; leaf < batch.Size; leaf++)
        {
            var e = batch.Order[leaf];
            var client = unchecked((long)batch.Client[e]);
            if (ranges == 0 || clients[ranges - 1] != client)
            {
                clients[ranges] = client;
                first[ranges] = unchecked((long)batch.Sequence[e]);
                ranges++;
            }
            last[ranges - 1] = unchecked((long)batch.Sequence[e]);
        }
        var @event = new BatchDistilled(broker, batch.Root.ToArray(), participants, outcome.AggregateSignature ?? DistilledBatchCertificate.NoParticipantsAggregate(), stragglers, entries, at);
        return new DistilledBatch(@event, packedCommitments, packedOpenings, clients[..ranges], first[..ranges], last[..ranges]);
    }
}
