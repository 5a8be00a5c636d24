using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Stele.Domain.Identity;
using Stele.Storage;
using Stele.Tlog;
using Stele.Tlog.Proofs;

namespace Stele.Api;

/// <summary>
/// Where a submitted entry stands: pending (not folded yet), sequenced (has a leaf, not yet under
/// the published checkpoint), included (with the checkpoint and an inclusion proof from the
/// published tiles) or rejected (with the fold's reason). The server does not vouch for the
/// proof: clients verify it against the log key they trust.
/// </summary>
internal sealed class InclusionTracker(NpgsqlDataSource database, IObjectStore storage, SubmissionApiOptions options) : IAsyncDisposable
{
    private readonly PublicationSignal _published = new(database, options.WaitRecheckInterval);

    public const string CheckpointKey = "checkpoint";

    public static string StatusUrl(ClientId client, ulong sequence) =>
        $"/v1/entries/{client}/{sequence.ToString(CultureInfo.InvariantCulture)}";

    public async Task<EntryStatusResponse?> GetAsync(ClientId client, ulong sequence, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT e.leaf_index, e.rejection, (SELECT max(published_size) FROM stele.log_state), " +
            "(SELECT (s.last_sequence # (-9223372036854775807 - 1)) >= ($2 # (-9223372036854775807 - 1)) FROM stele.client_sequences s WHERE s.client_id = $1) " +
            "FROM (SELECT 1) AS one LEFT JOIN stele.entry_status e ON e.client_id = $1 AND e.sequence = $2");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)client.Value) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)sequence) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var url = StatusUrl(client, sequence);
        if (!reader.IsDBNull(1)) return Status(client, sequence, "rejected", url, reason: reader.GetString(1));
        if (reader.IsDBNull(0))
        {
            var accepted = !reader.IsDBNull(3) && reader.GetBoolean(3);
            return accepted ? Status(client, sequence, "pending", url) : null;
        }
        var leaf = (ulong)reader.GetInt64(0);
        var published = reader.IsDBNull(2) ? 0UL : (ulong)reader.GetInt64(2);
        await reader.DisposeAsync().ConfigureAwait(false);
        if (published <= leaf) return Status(client, sequence, "sequenced", url, leaf);
        return await WithProofAsync(client, sequence, leaf, url, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Looks again each time the publisher commits a cycle (or every recheck interval at the latest) until
    /// the entry is included or rejected, or <paramref name="wait"/> passes; returns the last status.
    /// </summary>
    public async Task<EntryStatusResponse?> WaitAsync(ClientId client, ulong sequence, TimeSpan wait, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var published = _published.Next; // taken before the read, so a publication in between still wakes us
            var status = await GetAsync(client, sequence, cancellationToken).ConfigureAwait(false);
            var left = wait - clock.Elapsed;
            if (status is null || status.Status is "included" or "rejected" || left <= TimeSpan.Zero) return status;
            var nap = left < options.WaitRecheckInterval ? left : options.WaitRecheckInterval;
            await Task.WhenAny(published, Task.Delay(nap, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// A batch's entries (all accepted here): one status query per look, and once every entry is
    /// included or rejected (or <paramref name="wait"/> passed) ONE checkpoint read and one proof
    /// computation for all the included ones, sharing tiles and subtree hashes.
    /// </summary>
    public async Task<EntryStatusResponse[]> WaitForBatchAsync(ClientId client, IReadOnlyList<ulong> sequences, TimeSpan wait, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var published = _published.Next; // taken before the read, as in WaitAsync
            var rows = await BatchRowsAsync(client, sequences, cancellationToken).ConfigureAwait(false);
            var left = wait - clock.Elapsed;
            if (left <= TimeSpan.Zero || rows.All(r => r.Rejection is not null || r.Leaf < r.Published))
                return await BatchStatusesAsync(client, sequences, rows, cancellationToken).ConfigureAwait(false);
            var nap = left < options.WaitRecheckInterval ? left : options.WaitRecheckInterval;
            await Task.WhenAny(published, Task.Delay(nap, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public ValueTask DisposeAsync() => _published.DisposeAsync();

    private readonly record struct BatchRow(ulong? Leaf, string? Rejection, ulong Published);

    private async Task<BatchRow[]> BatchRowsAsync(ClientId client, IReadOnlyList<ulong> sequences, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT e.leaf_index, e.rejection, (SELECT max(published_size) FROM stele.log_state) " +
            "FROM unnest($2::bigint[]) WITH ORDINALITY AS s(sequence, i) LEFT JOIN stele.entry_status e ON e.client_id = $1 AND e.sequence = s.sequence ORDER BY s.i");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)client.Value) });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. sequences.Select(s => unchecked((long)s))] });
        var rows = new BatchRow[sequences.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < rows.Length && await reader.ReadAsync(cancellationToken).ConfigureAwait(false); i++)
        {
            rows[i] = new BatchRow(
                reader.IsDBNull(0) ? null : (ulong)reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? 0UL : (ulong)reader.GetInt64(2));
        }
        return rows;
    }

    private async Task<EntryStatusResponse[]> BatchStatusesAsync(ClientId client, IReadOnlyList<ulong> sequences, BatchRow[] rows, CancellationToken cancellationToken)
    {
        var statuses = new EntryStatusResponse[rows.Length];
        var included = new List<int>();
        for (var i = 0; i < rows.Length; i++)
        {
            var url = StatusUrl(client, sequences[i]);
            statuses[i] = rows[i] switch
            {
                { Rejection: { } reason } => Status(client, sequences[i], "rejected", url, reason: reason),
                { Leaf: null } => Status(client, sequences[i], "pending", url),
                { Leaf: { } leaf } => Status(client, sequences[i], "sequenced", url, leaf),
            };
            if (rows[i].Leaf is { } l && l < rows[i].Published) included.Add(i);
        }
        if (included.Count == 0) return statuses;
        var checkpointBytes = await storage.TryGetBytesAsync(CheckpointKey, cancellationToken).ConfigureAwait(false);
        if (checkpointBytes is null) return statuses;
        var checkpoint = System.Text.Encoding.UTF8.GetString(checkpointBytes);
        if (CheckpointSize(checkpoint) is not { } size) return statuses;
        included.RemoveAll(i => rows[i].Leaf >= size);
        var proofs = await TileProofs.InclusionProofsAsync(
            new StorageTileReader(storage), [.. included.Select(i => new LeafIndex(rows[i].Leaf!.Value))], new TreeSize(size), cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < included.Count; k++)
        {
            var i = included[k];
            statuses[i] = new EntryStatusResponse(client.ToString(), sequences[i], "included", rows[i].Leaf, null, checkpoint, [.. proofs[k].Select(h => h.ToBase64())], statuses[i].StatusUrl);
        }
        return statuses;
    }

    private async Task<EntryStatusResponse> WithProofAsync(ClientId client, ulong sequence, ulong leaf, string url, CancellationToken cancellationToken)
    {
        var checkpointBytes = await storage.TryGetBytesAsync(CheckpointKey, cancellationToken).ConfigureAwait(false);
        if (checkpointBytes is null) return Status(client, sequence, "sequenced", url, leaf);
        var checkpoint = System.Text.Encoding.UTF8.GetString(checkpointBytes);
        var size = CheckpointSize(checkpoint);
        if (size is null || size.Value <= leaf) return Status(client, sequence, "sequenced", url, leaf);
        var proof = await TileProofs.InclusionProofAsync(new StorageTileReader(storage), new LeafIndex(leaf), new TreeSize(size.Value), cancellationToken).ConfigureAwait(false);
        return new EntryStatusResponse(client.ToString(), sequence, "included", leaf, null, checkpoint, [.. proof.Select(h => h.ToBase64())], url);
    }

    // The size is the checkpoint's second line; the client verifies the signed note itself.
    private static ulong? CheckpointSize(string checkpoint)
    {
        var lines = checkpoint.Split('\n', 3);
        return lines.Length >= 2 && ulong.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null;
    }

    private static EntryStatusResponse Status(ClientId client, ulong sequence, string status, string url, ulong? leaf = null, string? reason = null) =>
        new(client.ToString(), sequence, status, leaf, reason, null, null, url);
}
