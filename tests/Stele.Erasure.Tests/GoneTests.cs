using System.Globalization;
using System.Net;
using Stele.Api.Tests;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Domain.Payloads;
using Stele.Domain.Signing;
using Stele.Erasure.Tests.Support;
using Stele.Projections.Daemon;
using Stele.Reader;
using Stele.Reader.Sources;
using Stele.Storage;
using Stele.Testing;
using Stele.Tlog.Tests;

namespace Stele.Erasure.Tests;

/// <summary>
/// The proof that it is gone (issue 7, item 2): through the real HTTP API, the real projection daemon,
/// PostgreSQL and a directory or s3rver store, erase a tiny low-entropy entry and a large blob entry,
/// then search every table, every object, the daemon's logs and the PostgreSQL server log for their
/// content and salts; the log still verifies, with Stele's reader and with Go's sumdb/tlog.
/// </summary>
public sealed class GoneTests(GoInterop go) : IClassFixture<GoInterop>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Erased_content_and_salts_are_nowhere_and_the_log_still_verifies(bool s3)
    {
        await using var board = await BoardFixture.StartAsync(s3);
        var logs = new CapturingLogger();
        var daemon = new ProjectionDaemon(board.Events, board.Database, board.Database.ConnectionString, board.Storage, board.LogKey,
            new ProjectionOptions { PublishInterval = TimeSpan.FromMilliseconds(5), RetryDelay = TimeSpan.FromMilliseconds(100) }, logs);
        var cycles = new List<CycleReport>();
        daemon.CycleCompleted += report => { lock (cycles) cycles.Add(report); };
        await daemon.StartAsync(CancellationToken.None);
        try
        {
            using var client = board.NewClient();
            using var keys = ClientKeys.Generate();
            await client.RegisterAsync(keys, BoardFixture.OperatorSecret);
            Assert.True(await client.WaitForRegistrationAsync(keys.Client, Wait));

            var tiny = "ballot=Q7"u8.ToArray(); // low entropy: only the salt hides it
            var large = new byte[PayloadSlot.InlineLimit * 3 + 17];
            new Random(7).NextBytes(large);
            var included = new SubmitOptions(WaitForInclusion: Wait);
            var tinyEntry = await client.SubmitAsync(keys, tiny, new MediaType("text/plain"), included);
            var largeEntry = await client.SubmitAsync(keys, large, MediaType.OctetStream, included);
            var kept = await client.SubmitAsync(keys, "a kept entry"u8.ToArray(), new MediaType("text/plain"), included);
            var tinyIncluded = await client.WaitForInclusionAsync(tinyEntry, Wait);
            Assert.True(tinyIncluded is not null, string.Join("\n", logs.Lines) + (await client.GetStatusAsync(keys.Client, tinyEntry.Descriptor.Sequence)));
            var tinyLeaf = tinyIncluded.LeafIndex.Value;
            var largeIncluded = await client.WaitForInclusionAsync(largeEntry, Wait);
            Assert.True(largeIncluded is not null, await DescribeOpeningAsync(board, largeEntry.Descriptor.Commitment) + string.Join("\n", logs.Lines) + await client.GetStatusAsync(keys.Client, largeEntry.Descriptor.Sequence));
            var largeLeaf = largeIncluded.LeafIndex.Value;
            Assert.NotNull(await client.WaitForInclusionAsync(kept, Wait));
            var tinySalt = await SaltAsync(board, tinyEntry.Descriptor.Commitment);
            var largeSalt = await SaltAsync(board, largeEntry.Descriptor.Commitment);
            var blobKey = BlobPayload.KeyFor(largeEntry.Descriptor.Commitment);
            Assert.Equal(large, await board.Storage.GetBytesAsync(blobKey));

            // A staging copy, as an API that streams to a temporary key before publishing would leave.
            var staging = "staging/" + largeEntry.Descriptor.Commitment;
            await board.Storage.PutBytesAsync(staging, large, new ObjectMetadata("application/octet-stream", "no-store"));
            await using (var restage = board.Database.CreateCommand("UPDATE stele.contents SET blob_key = $1 WHERE commitment = $2"))
            {
                restage.Parameters.AddWithValue(staging);
                restage.Parameters.AddWithValue(Bytes(largeEntry.Descriptor.Commitment));
                Assert.Equal(1, await restage.ExecuteNonQueryAsync());
            }

            var beforeErasure = Path.Combine(go.WorkDir, $"checkpoint-before-erasure-{(s3 ? "s3" : "directory")}");
            await File.WriteAllBytesAsync(beforeErasure, await board.Storage.GetBytesAsync("checkpoint"));

            var tinyErasure = await EraseAsync(client, tinyLeaf);
            var largeErasure = await EraseAsync(client, largeLeaf);
            await WaitForCycleAsync(cycles, largeErasure.Position); // the cycle (and its VACUUM) is over

            // Resubmitting the erased content with its old salt is refused and leaves nothing behind.
            Assert.Equal(HttpStatusCode.Conflict, await ResubmitAsync(board, client, keys, tiny, tinySalt, 100));
            Assert.Equal(HttpStatusCode.Conflict, await ResubmitAsync(board, client, keys, large, largeSalt, 101));
            Assert.Null(await board.Storage.HeadAsync(blobKey));
            Assert.Null(await board.Storage.HeadAsync(staging));

            await daemon.StopAsync(CancellationToken.None);

            var scanner = new TraceScanner(
            [
                ("tiny content", tiny), ("tiny salt", tinySalt), ("large salt", largeSalt),
                ("large content (start)", large[..64]), ("large content (middle)", large[100_000..100_064]), ("large content (end)", large[^64..]),
            ]);
            await scanner.ScanDatabaseAsync(board.Database);
            await scanner.ScanStoreAsync(board.Storage);
            if (board.Directory is { } dir) scanner.ScanDirectory(dir);
            scanner.ScanLines("daemon logs", logs.Lines);
            scanner.ScanFile("PostgreSQL server log", TestServers.PostgresLogFile);
            Assert.Contains("database system is ready", File.ReadAllText(TestServers.PostgresLogFile)); // the right file, and readable
            Assert.Empty(scanner.Findings);
            Assert.True(scanner.TablesScanned > 20, $"only {scanner.TablesScanned} tables scanned");
            Assert.True(scanner.ObjectsScanned >= 8, $"only {scanner.ObjectsScanned} objects scanned");

            // The kept entry's salt IS found: the scanner can see what it looks for.
            var control = new TraceScanner([("kept salt", await SaltAsync(board, kept.Descriptor.Commitment))]);
            await control.ScanDatabaseAsync(board.Database);
            await control.ScanStoreAsync(board.Storage);
            Assert.Contains(control.Findings, f => f.Contains("stele.contents", StringComparison.Ordinal));
            Assert.Contains(control.Findings, f => f.Contains("payload/000", StringComparison.Ordinal));

            // The log still verifies from its files alone, and reports both erasures with their notices.
            var verified = await LogReader.VerifyAsync(new ObjectStoreLogSource(board.Storage, ownsStore: false), board.LogKey.Verifier);
            Assert.Equal(6ul, verified.Size.Value); // registration, 3 entries, 2 notices
            Assert.Equal([(tinyLeaf, tinyErasure.NoticeLeaf!.Value), (largeLeaf, largeErasure.NoticeLeaf!.Value)],
                verified.Erased.Select(e => (e.Leaf, e.NoticeLeaf)).ToArray());
            Assert.All(verified.Erased, e => Assert.Equal("GDPR art. 17(1)(a)", e.LegalBasis));

            // The independent tlog client verifies it too: checkpoint, every inclusion, and consistency with the checkpoint from before the erasures.
            if (board.Directory is { } published)
            {
                var (code, stdout, stderr) = go.Run("log", board.LogKey.Verifier.ToString(), published, beforeErasure);
                Assert.True(code == 0, stderr);
                Assert.Equal($"ok {board.LogKey.Origin.Value} 6 inclusions 6 consistent-from 4\n", stdout);
            }
        }
        finally
        {
            await daemon.StopAsync(CancellationToken.None);
            daemon.Dispose();
            if (s3) await foreach (var item in board.Storage.ListAsync()) await board.Storage.DeleteAsync(item.Key);
        }
    }

    private static async Task<RedactionStatus> EraseAsync(SteleClient client, ulong leaf)
    {
        var position = await client.RedactAsync(leaf, "data subject request", "GDPR art. 17(1)(a)", BoardFixture.OperatorSecret);
        var status = await client.WaitForRedactionAsync(position, Wait);
        Assert.NotNull(status);
        Assert.Equal(RedactionState.Erased, status.State);
        Assert.Equal(leaf, status.TargetLeaf);
        return status;
    }

    private static async Task WaitForCycleAsync(List<CycleReport> cycles, long position)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            lock (cycles)
                if (cycles.Any(c => c.Position >= position)) return;
            Assert.True(DateTime.UtcNow < deadline, $"no cycle reached position {position}");
            await Task.Delay(20);
        }
    }

    private static async Task<string> DescribeOpeningAsync(BoardFixture board, Commitment commitment)
    {
        await using var command = board.Database.CreateCommand("SELECT coalesce(length(content), -1) || ' ' || coalesce(blob_key, 'null') || ' ' || size FROM stele.contents WHERE commitment = $1");
        command.Parameters.AddWithValue(Bytes(commitment));
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<byte[]> SaltAsync(BoardFixture board, Commitment commitment)
    {
        await using var command = board.Database.CreateCommand("SELECT salt FROM stele.contents WHERE commitment = $1");
        command.Parameters.AddWithValue(Bytes(commitment));
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    /// <summary>POST /v1/entries with a chosen salt (the client library always draws a fresh one).</summary>
    private static async Task<HttpStatusCode> ResubmitAsync(BoardFixture board, SteleClient client, ClientKeys keys, byte[] content, byte[] saltBytes, ulong sequence)
    {
        var salt = Salt.FromBytes(saltBytes);
        var commitment = Commitment.Compute(salt, content);
        var descriptor = new EntryDescriptor(keys.Client, sequence, commitment, (ulong)content.Length, MediaType.OctetStream);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/entries") { Content = new ByteArrayContent(content) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", MediaType.OctetStream.Value);
        request.Headers.Add("Stele-Client", keys.Client.ToString());
        request.Headers.Add("Stele-Sequence", sequence.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Stele-Commitment", commitment.ToString());
        request.Headers.Add("Stele-Salt", Convert.ToHexStringLower(saltBytes));
        request.Headers.Add("Stele-Signature", keys.SignEd25519(SigningMessages.Entry(client.Origin, descriptor)).ToString());
        using var response = await board.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static byte[] Bytes(Commitment commitment)
    {
        var bytes = new byte[Commitment.Length];
        commitment.CopyTo(bytes);
        return bytes;
    }
}
