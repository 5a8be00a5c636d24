using System.Net;
using Stele.Client;
using Stele.Domain.Content;
using Stele.Domain.Signing;

namespace Stele.Api.Tests;

/// <summary>
/// Concurrent submissions share transactions (SubmissionWriter), yet each keeps its own outcome:
/// a replay or a reused commitment refuses only that request and leaves no trace of it.
/// </summary>
public sealed class SubmissionGroupCommitTests : IAsyncLifetime
{
    private const int Clients = 6;
    private BoardFixture _board = null!;
    private SteleClient _client = null!;
    private readonly List<ClientKeys> _keys = [];

    public async Task InitializeAsync()
    {
        _board = await BoardFixture.StartAsync();
        _client = _board.NewClient();
        for (var i = 0; i < Clients; i++) _keys.Add(await _board.RegisterAndAdmitAsync(_client));
    }

    public async Task DisposeAsync()
    {
        foreach (var keys in _keys) keys.Dispose();
        _client.Dispose();
        await _board.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_submissions_share_transactions_and_every_one_lands_with_its_opening()
    {
        // Each client sends its entries one after another (a later sequence must not overtake an
        // earlier one), all clients at once.
        var perClient = _keys.Select(k => Enumerable.Range(0, 8).Select(i => SignedEntry.Create(k, _board.Origin, [(byte)i, 1, 2, 3])).ToList()).ToList();
        var entries = perClient.SelectMany(e => e).ToList();

        var codes = (await Task.WhenAll(perClient.Select(own => Task.Run(async () =>
        {
            var statuses = new List<(HttpStatusCode Status, string Body)>();
            foreach (var entry in own) statuses.AddRange(await SendAllAsync([entry]));
            return statuses;
        })))).SelectMany(c => c).ToList();

        Assert.All(codes, c => Assert.Equal(HttpStatusCode.Accepted, c.Status));
        Assert.Equal(entries.Count, await _board.ScalarAsync("SELECT count(*) FROM stele.events WHERE event_type = 'EntrySubmitted'"));
        Assert.Equal(entries.Count, await _board.ScalarAsync("SELECT count(*) FROM stele.contents"));
        var transactions = await _board.ScalarAsync("SELECT count(DISTINCT transaction_id) FROM stele.events WHERE event_type = 'EntrySubmitted'");
        Assert.True(transactions < entries.Count, $"{entries.Count} concurrent submissions used {transactions} transactions: none were grouped");
        foreach (var keys in _keys)
        {
            var last = entries.Where(e => e.Client == keys.Client).Max(e => e.Sequence);
            Assert.Equal(unchecked((long)last), await _board.ScalarAsync("SELECT last_sequence FROM stele.client_sequences WHERE client_id = $1", unchecked((long)keys.Client.Value)));
        }
        foreach (var entry in entries)
            Assert.Equal(1, await _board.ScalarAsync("SELECT count(*) FROM stele.contents WHERE commitment = $1 AND content = $2", Bytes(entry.Commitment), entry.Content));
    }

    [Fact]
    public async Task Racing_replays_of_one_sequence_accept_exactly_one_and_leave_no_trace_of_the_others()
    {
        var racer = _keys[0];
        var sequence = racer.Sequences.Reserve();
        var replays = Enumerable.Range(0, 12).Select(i => SignedEntry.Create(racer, _board.Origin, [(byte)i, 9, 9], sequence)).ToList();
        var bystanders = _keys.Skip(1).Select(k => SignedEntry.Create(k, _board.Origin, [7, 7, 7])).ToList();

        var codes = await SendAllAsync([.. replays, .. bystanders]);

        var winner = replays[AssertOneWinner(codes, replays.Count, "replayed_sequence")];
        Assert.Equal(1, await _board.ScalarAsync("SELECT count(*) FROM stele.events WHERE stream_id = $1", $"client-{racer.Client}"));
        foreach (var loser in replays.Where(r => r != winner))
            Assert.Equal(0, await _board.ScalarAsync("SELECT count(*) FROM stele.contents WHERE commitment = $1", Bytes(loser.Commitment)));
        Assert.Equal(1, await _board.ScalarAsync("SELECT count(*) FROM stele.contents WHERE commitment = $1", Bytes(winner.Commitment)));
        Assert.Equal(1 + bystanders.Count, (await _board.TraceAsync()).Contents);
    }

    [Fact]
    public async Task Racing_reuses_of_one_commitment_accept_exactly_one_and_the_others_of_their_groups_still_land()
    {
        var salt = Salt.NewRandom();
        byte[] content = [4, 2, 4, 2];
        // Reusers and others are different clients: a client's later sequence racing ahead of its
        // earlier one would be refused as a replay, which is not what this test is about.
        var reusers = _keys.Take(Clients / 2).Select(k => WithSalt(k, salt, content)).ToList();
        var others = _keys.Skip(Clients / 2).Select(k => SignedEntry.Create(k, _board.Origin, [1, 1, 1])).ToList();
        var before = await _board.TraceAsync();

        var codes = await SendAllAsync([.. reusers, .. others]);

        var winner = reusers[AssertOneWinner(codes, reusers.Count, "commitment_reused")];
        var after = await _board.TraceAsync();
        Assert.Equal(before.Events + 1 + others.Count, after.Events);
        Assert.Equal(before.Contents + 1 + others.Count, after.Contents);
        Assert.Equal(1, await _board.ScalarAsync("SELECT count(*) FROM stele.contents WHERE commitment = $1", Bytes(reusers[0].Commitment)));
        Assert.Equal(1, await _board.ScalarAsync(
            "SELECT count(*) FROM stele.events WHERE stream_id = $1 AND payload->'entry'->>'sequence' = $2", $"client-{winner.Client}", winner.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_commitment_committed_meanwhile_by_another_transaction_fails_only_its_submission()
    {
        var salt = Salt.NewRandom();
        byte[] content = [6, 6, 6];
        var doomed = WithSalt(_keys[0], salt, content);
        var others = _keys.Skip(1).Select(k => SignedEntry.Create(k, _board.Origin, [5, 5])).ToList();
        var before = await _board.TraceAsync();

        // Another writer holds the same commitment uncommitted: the group's reads cannot see it, its
        // insert waits on the unique index, then fails when the other writer commits.
        await using var other = await _board.Database.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand("INSERT INTO stele.contents (commitment, salt, size, content) VALUES ($1, $2, 3, $3)", other, transaction))
        {
            insert.Parameters.AddWithValue(Bytes(doomed.Commitment));
            insert.Parameters.AddWithValue(salt.AsSpan().ToArray());
            insert.Parameters.AddWithValue(content);
            await insert.ExecuteNonQueryAsync();
        }
        var sending = SendAllAsync([doomed, .. others]);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(sending.IsCompleted, "the submissions should wait for the other writer's commitment");
        await transaction.CommitAsync();
        var codes = await sending;

        Assert.Equal(HttpStatusCode.Conflict, codes[0].Status);
        Assert.Contains("\"code\":\"commitment_reused\"", codes[0].Body);
        Assert.All(codes.Skip(1), c => Assert.Equal(HttpStatusCode.Accepted, c.Status));
        var after = await _board.TraceAsync();
        Assert.Equal(before.Events + others.Count, after.Events);
        Assert.Equal(before.Contents + others.Count + 1, after.Contents); // the other writer's row, none of the doomed one
        Assert.Equal(0, await _board.ScalarAsync("SELECT count(*) FROM stele.events WHERE stream_id = $1", $"client-{_keys[0].Client}"));
    }

    /// <summary>Of the first <paramref name="racers"/> responses exactly one is 202, the others 409 with <paramref name="code"/>; all after them are 202. Returns the winner's index.</summary>
    private static int AssertOneWinner(List<(HttpStatusCode Status, string Body)> codes, int racers, string code)
    {
        var race = codes.Take(racers).ToList();
        Assert.Single(race, c => c.Status == HttpStatusCode.Accepted);
        Assert.All(race.Where(c => c.Status != HttpStatusCode.Accepted), c =>
        {
            Assert.Equal(HttpStatusCode.Conflict, c.Status);
            Assert.Contains($"\"code\":\"{code}\"", c.Body);
        });
        Assert.All(codes.Skip(racers), c => Assert.Equal(HttpStatusCode.Accepted, c.Status));
        return race.FindIndex(c => c.Status == HttpStatusCode.Accepted);
    }

    private async Task<List<(HttpStatusCode Status, string Body)>> SendAllAsync(IReadOnlyList<SignedEntry> entries)
    {
        using var gate = new SemaphoreSlim(0);
        var sends = entries.Select(e => Task.Run(async () =>
        {
            await gate.WaitAsync();
            using var request = e.ToRequest();
            using var response = await _board.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        })).ToList();
        gate.Release(entries.Count);
        return [.. await Task.WhenAll(sends)];
    }

    /// <summary>A correctly signed entry whose salt (and so commitment, for equal content) the test chooses.</summary>
    private SignedEntry WithSalt(ClientKeys keys, Salt salt, byte[] content)
    {
        var commitment = Commitment.Compute(salt, content);
        var descriptor = new EntryDescriptor(keys.Client, keys.Sequences.Reserve(), commitment, (ulong)content.Length, new MediaType("text/plain"));
        var signature = keys.SignEd25519(SigningMessages.Entry(_board.Origin, descriptor)).ToString();
        return new SignedEntry(keys.Client, descriptor.Sequence, salt, commitment, content, "text/plain", signature);
    }

    private static byte[] Bytes(Commitment commitment)
    {
        var bytes = new byte[Commitment.Length];
        commitment.CopyTo(bytes);
        return bytes;
    }
}
