using System.Collections.Concurrent;
using System.Net.Sockets;
using Stele.Client;
using Stele.Domain.Content;

namespace Stele.EndToEnd.Tests;

/// <summary>
/// Concurrent writers, one per client key (a client's sequences must ascend, so each writer posts
/// one entry at a time), against a server that may be killed at any moment. A submission counts as
/// acknowledged only when the server answered 202; a failed attempt is retried with a NEW sequence
/// and content, so the log may hold it or not, but never twice.
/// </summary>
/// <param name="withBlobs">Make every 16th entry 100 kB, above the 64 KiB inline limit: a blob.</param>
public sealed class SubmissionLoad(bool withBlobs)
{
    private const int BlobEvery = 16;
    private const int BlobSize = 100_000;

    private readonly ConcurrentQueue<SubmissionResult> _acknowledged = new();
    private readonly ConcurrentQueue<string> _refusals = new();
    private long _failedAttempts;

    /// <summary>Entries the server acknowledged (202).</summary>
    public IReadOnlyCollection<SubmissionResult> Acknowledged => _acknowledged;

    public int AcknowledgedCount => _acknowledged.Count;

    /// <summary>Attempts that got no answer (server killed or restarting): each may or may not be in the log.</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>Answers that were refusals (4xx): there must be none.</summary>
    public IReadOnlyCollection<string> Refusals => _refusals;

    /// <summary>Runs one writer per key until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(SteleClient client, IReadOnlyList<ClientKeys> writers, CancellationToken stop) =>
        Task.WhenAll(writers.Select((keys, w) => Task.Run(() => WriteAsync(client, keys, w, stop))));

    private async Task WriteAsync(SteleClient client, ClientKeys keys, int writer, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var content = Content(writer, i);
            try
            {
                // The request is never cancelled by `stop`: an answer that is on its way still counts.
                _acknowledged.Enqueue(await client.SubmitAsync(keys, content, MediaType.OctetStream));
            }
            catch (SteleApiException ex) when (ex.Status >= 500)
            {
                Interlocked.Increment(ref _failedAttempts);
                await Pause(stop);
            }
            catch (SteleApiException ex)
            {
                _refusals.Enqueue($"writer {writer} entry {i}: {ex.Status} {ex.Code} {ex.Message}");
                await Pause(stop);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or TaskCanceledException)
            {
                Interlocked.Increment(ref _failedAttempts);
                await Pause(stop);
            }
        }
    }

    private byte[] Content(int writer, int index)
    {
        var size = withBlobs && index % BlobEvery == BlobEvery - 1 ? BlobSize : 24 + (index % 40);
        var content = new byte[size];
        Random.Shared.NextBytes(content);
        BitConverter.TryWriteBytes(content, writer);
        BitConverter.TryWriteBytes(content.AsSpan(4), index);
        return content;
    }

    private static async Task Pause(CancellationToken stop)
    {
        try
        {
            await Task.Delay(50, stop);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
