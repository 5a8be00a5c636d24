using System.Diagnostics;
using System.Threading.Channels;
using Stele.Broker.Batching;
using Stele.Broker.Counters;

namespace Stele.Broker.Writing;

/// <summary>
/// The stream writer, two batches deep: while batch k reserves its sequences, stores its openings and
/// commits, batch k+1 is packed, serialized and its append sent on a second connection, where the
/// server parses the event and then waits on the log stream's append lock until k commits. k+1's
/// append is only sent once k's append has returned (k then holds that lock), so batches reach the
/// stream in close order, as the fold needs; outcomes are reported in that order too.
/// </summary>
internal sealed class PipelinedBatchWrites(DistilledBatchWriter writer, string brokerName, BrokerCounters counters,
    Action<Batch, DistilOutcome, long> written, Action<Batch, DistilOutcome, Exception> failed)
{
    private sealed record InFlight(Batch Batch, DistilOutcome Outcome, long Started, Task<long> Commit);

    public async Task RunAsync(ChannelReader<(Batch Batch, DistilOutcome Outcome)> batches, CancellationToken stop)
    {
        InFlight? previous = null;
        try
        {
            while (true)
            {
                if (!batches.TryRead(out var next))
                {
                    if (previous is not null)
                    {
                        await FinishAsync(previous).ConfigureAwait(false); // nothing to overlap with: finish now
                        previous = null;
                        continue;
                    }
                    if (!await batches.WaitToReadAsync(stop).ConfigureAwait(false)) return;
                    continue;
                }
                var started = Stopwatch.GetTimestamp();
                PendingBatchWrite? pending = null;
                Exception? beginError = null;
                try
                {
                    var distilled = DistilledBatch.From(next.Batch, next.Outcome, brokerName, DateTimeOffset.UtcNow);
                    pending = await writer.BeginAsync(distilled, stop).ConfigureAwait(false); // returns once `previous` committed or rolled back
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    beginError = ex;
                }
                if (previous is not null) await FinishAsync(previous).ConfigureAwait(false);
                previous = null;
                if (pending is null)
                {
                    failed(next.Batch, next.Outcome, beginError!);
                    continue;
                }
                previous = new InFlight(next.Batch, next.Outcome, started, pending.CompleteAsync(stop));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (previous is not null) await FinishAsync(previous).ConfigureAwait(false);
        }
    }

    private async Task FinishAsync(InFlight write)
    {
        try
        {
            var position = await write.Commit.ConfigureAwait(false);
            counters.Add(BrokerCounter.WriteMilliseconds, (long)Stopwatch.GetElapsedTime(write.Started).TotalMilliseconds);
            written(write.Batch, write.Outcome, position);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            failed(write.Batch, write.Outcome, ex);
        }
    }
}
