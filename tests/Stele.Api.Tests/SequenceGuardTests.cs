using System.Net;
using System.Text;

namespace Stele.Api.Tests;

/// <summary>
/// The early replay check remembers accepted sequences in the process and reads the database only for
/// clients it has not seen: a sequence another server accepted (only in the database) is still refused.
/// </summary>
public sealed class SequenceGuardTests : IAsyncLifetime
{
    private AdmittedClient _setup = null!;

    public async Task InitializeAsync() => _setup = await AdmittedClient.StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_sequence_known_only_to_the_database_is_refused_and_the_next_one_accepted()
    {
        await AcceptedElsewhereAsync(1000);

        await _setup.Board.AssertRefusedAsync(Entry("old", 1000).ToRequest(), 409, "replayed_sequence");
        await _setup.Board.AssertRefusedAsync(Entry("older", 999).ToRequest(), 409, "replayed_sequence");
        using var next = await _setup.Board.Http.SendAsync(Entry("next", 1001).ToRequest());
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }

    [Fact]
    public async Task A_sequence_accepted_elsewhere_after_this_process_remembered_an_older_one_is_still_refused()
    {
        using (var first = await _setup.Board.Http.SendAsync(Entry("first", 10).ToRequest()))
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode); // remembered: last = 10
        await AcceptedElsewhereAsync(20); // another server accepted up to 20

        // The remembered 10 lets 15 through the early check; the transaction refuses it, leaving nothing.
        await _setup.Board.AssertRefusedAsync(Entry("stale", 15).ToRequest(), 409, "replayed_sequence");
        using var later = await _setup.Board.Http.SendAsync(Entry("later", 21).ToRequest());
        Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
        Assert.Equal(21, await _setup.Board.ScalarAsync("SELECT last_sequence FROM stele.client_sequences WHERE client_id = $1", unchecked((long)_setup.Keys.Client.Value)));
    }

    private SignedEntry Entry(string text, ulong sequence) => SignedEntry.Create(_setup.Keys, _setup.Board.Origin, Encoding.UTF8.GetBytes(text), sequence);

    // What another API process does when it accepts an entry: it advances the client's reservation.
    private Task AcceptedElsewhereAsync(long last) => _setup.Board.ScalarAsync(
        "WITH s AS (INSERT INTO stele.client_sequences (client_id, last_sequence) VALUES ($1, $2) " +
        "ON CONFLICT (client_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence RETURNING 1) SELECT count(*) FROM s",
        unchecked((long)_setup.Keys.Client.Value), last);
}
