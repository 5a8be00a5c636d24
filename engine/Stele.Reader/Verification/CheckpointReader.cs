using Stele.Reader.Sources;
using Stele.Tlog.Checkpoints;
using Stele.Tlog.Notes;

namespace Stele.Reader.Verification;

/// <summary>Reads a log's checkpoint and verifies it against the one key the caller trusts.</summary>
public static class CheckpointReader
{
    public const string Key = "checkpoint";

    public static async Task<(VerifiedCheckpoint Checkpoint, byte[] Bytes)> ReadVerifiedAsync(
        ILogSource source, NoteVerifierKey trusted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(trusted);
        var bytes = await source.TryReadAllAsync(Key, LogLimits.MaxCheckpointBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new LogVerificationException(Key, null, $"missing at {source.Location} (is this a published Stele log?)");
        return (Verify(bytes, trusted, Key), bytes);
    }

    /// <summary>Verifies checkpoint bytes (e.g. an old checkpoint file) against <paramref name="trusted"/>.</summary>
    public static VerifiedCheckpoint Verify(ReadOnlySpan<byte> bytes, NoteVerifierKey trusted, string what)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        UnverifiedCheckpoint unverified;
        try
        {
            unverified = UnverifiedCheckpoint.Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new LogVerificationException(what, null, $"not a valid checkpoint: {e.Message}", e);
        }
        if (unverified.ClaimedOrigin != trusted.Name)
            throw new LogVerificationException(what, null, $"the checkpoint is for origin '{unverified.ClaimedOrigin}', but the trusted key is for '{trusted.Name}'");
        try
        {
            return unverified.Verify(new NoteVerifiers(trusted));
        }
        catch (Exception e) when (e is NoteVerificationException or FormatException)
        {
            throw new LogVerificationException(what, null, $"signature does not verify against the trusted key {trusted}: {e.Message}", e);
        }
    }
}
