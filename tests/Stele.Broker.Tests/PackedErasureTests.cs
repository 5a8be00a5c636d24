using System.Security.Cryptography;
using Npgsql;
using Stele.Broker.Tests.Support;
using Stele.Domain.Content;
using Stele.Domain.Events;
using Stele.Domain.Payloads;
using Stele.Erasure.Tests.Support;
using Stele.EventStore;
using Stele.Projections.Rebuild;
using Stele.Reader.Sources;
using Stele.Reader.Verification;
using Stele.Storage.Local;

namespace Stele.Broker.Tests;

/// <summary>
/// Packed openings end to end (real UDP, PostgreSQL, fold, reader): a broker batch is one
/// stele.packed_openings row; erasing one of its entries rewrites the row without that opening's bytes,
/// the erased commitment can never be stored again, and a rebuild reproduces the published files.
/// </summary>
public sealed class PackedErasureTests
{
    private static BrokerOptions Options => LoopbackOptions.Create(64, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    [Fact]
    public async Task An_erased_broker_entry_leaves_no_byte_behind_and_its_commitment_is_refused_forever()
    {
        await using var board = await Board.CreateAsync("test.example/broker-packed");
        using var alice = new Identity();
        using var bob = new Identity();
        await board.RegisterAsync(alice, bob);
        await using var broker = await BrokerServer.StartAsync(Options, board.Key.Origin, board.Database.DataSource, board.Events);
        await using var a = new BrokerClient(board.Key.Origin, alice.Ed, alice.Bls, broker.LocalEndPoint);
        await using var b = new BrokerClient(board.Key.Origin, bob.Ed, bob.Bls, broker.LocalEndPoint);
        var contents = new Dictionary<(ulong Client, ulong Sequence), byte[]>();
        var submissions = new List<Task<BrokerEntryResult>>();
        foreach (var (client, identity) in new[] { (a, alice), (b, bob) })
        {
            for (ulong sequence = 1; sequence <= 3; sequence++)
            {
                var content = RandomNumberGenerator.GetBytes(24);
                contents[(identity.Id.Value, sequence)] = content;
                submissions.Add(client.SubmitAsync(sequence, content, "application/vnd.vote"));
            }
        }
        var all = Task.WhenAll(submissions);
        await board.FoldUntilAsync(all, TimeSpan.FromSeconds(60));
        var results = await all;
        Assert.All(results, r => Assert.True(r.Accepted, r.Rejection));

        // one packed row per batch, no stele.contents row at all
        Assert.Equal(0L, await board.ScalarAsync<long>("SELECT count(*) FROM stele.contents"));
        Assert.Equal(broker.Counters[Counters.BrokerCounter.BatchesDistilled], await board.ScalarAsync<long>("SELECT count(*) FROM stele.packed_openings"));
        Assert.Equal(6L, await board.ScalarAsync<long>("SELECT sum(entries)::bigint FROM stele.packed_openings"));

        var openings = await PackedAsync(board);
        var target = results[1]; // alice's second entry
        var targetContent = contents[(alice.Id.Value, 2)];
        var targetOpening = openings.Single(o => o.Content.Span.SequenceEqual(targetContent));
        var keptOpening = openings.Single(o => o.Content.Span.SequenceEqual(contents[(bob.Id.Value, 3)]));

        await board.Events.AppendAsync(LogEventTypes.LogStream, ExpectedVersion.Any,
            [new EntryRedacted(target.LeafIndex!.Value, "data subject request", "GDPR art. 17(1)(a)", DateTimeOffset.UtcNow)]);
        await board.Projection.CatchUpAsync(); // folds the redaction, rewrites the row, vacuums

        Assert.Equal(5L, await board.ScalarAsync<long>("SELECT sum(entries)::bigint FROM stele.packed_openings"));
        var scanner = new TraceScanner([("erased salt", targetOpening.Salt.ToArray()), ("erased content", targetContent)]);
        await scanner.ScanDatabaseAsync(board.Database.DataSource);
        Assert.Empty(scanner.Findings);
        var control = new TraceScanner([("kept salt", keptOpening.Salt.ToArray())]);
        await control.ScanDatabaseAsync(board.Database.DataSource);
        Assert.Contains(control.Findings, f => f.Contains("stele.packed_openings", StringComparison.Ordinal) || f.Contains("pg_toast", StringComparison.Ordinal));

        // the published files: a tombstone in the erased slot, the others intact; the reader verifies
        var payload = PayloadFile.Parse(File.ReadAllBytes(Path.Combine(board.Directory, PayloadFile.KeyFor(target.LeafIndex.Value))));
        Assert.IsType<Tombstone>(payload.Slots[(int)(target.LeafIndex.Value - payload.FirstLeaf)]);
        var kept = results[5];
        Assert.Equal(contents[(bob.Id.Value, 3)], Assert.IsType<InlinePayload>(payload.Slots[(int)(kept.LeafIndex!.Value - payload.FirstLeaf)]).Content.ToArray());
        var verified = await LogVerifier.VerifyAsync(new DirectoryLogSource(board.Directory), board.Key.Verifier);
        Assert.Equal([target.LeafIndex.Value], verified.Erased.Select(e => e.Leaf).ToArray());

        // the erased commitment can never be stored again: the set-based check refuses the whole row
        var again = PackedOpenings.Pack([openings.First(o => o.Commitment != targetOpening.Commitment), targetOpening]);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => StoreAsync(board, 1_000_000, again));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Contains("1 commitment(s) of this batch belong to erased content", refused.MessageText);
        Assert.Equal(0L, await board.ScalarAsync<long>("SELECT count(*) FROM stele.packed_openings WHERE position = 1000000"));
        await StoreAsync(board, 1_000_001, PackedOpenings.Pack([keptOpening])); // the check refuses only erased commitments

        // a rebuild from the stream reads the packed rows and reproduces every published file
        var rebuilt = Directory.CreateTempSubdirectory("stele-broker-rebuilt-").FullName;
        try
        {
            var rebuild = await new LogRebuilder(board.Events, board.Database.DataSource, new DirectoryObjectStore(board.Directory), new DirectoryObjectStore(rebuilt), board.Key).RunAsync();
            Assert.True(rebuild.Comparison.Identical, string.Join("; ", rebuild.Comparison.Mismatches));
        }
        finally
        {
            Directory.Delete(rebuilt, recursive: true);
        }
    }

    private static async Task<List<PackedOpening>> PackedAsync(Board board)
    {
        var all = new List<PackedOpening>();
        await using var command = board.Database.DataSource.CreateCommand("SELECT commitments, openings FROM stele.packed_openings ORDER BY position");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) all.AddRange(PackedOpenings.Unpack(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1)));
        return all;
    }

    private static async Task StoreAsync(Board board, long position, (byte[] Commitments, byte[] Openings) packed)
    {
        await using var command = board.Database.DataSource.CreateCommand("SELECT stele.store_packed_openings($1, $2, $3)");
        command.Parameters.AddWithValue(position);
        command.Parameters.AddWithValue(packed.Commitments);
        command.Parameters.AddWithValue(packed.Openings);
        await command.ExecuteNonQueryAsync();
    }
}
