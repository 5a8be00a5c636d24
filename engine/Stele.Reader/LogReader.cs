using Stele.Reader.Mirror;
using Stele.Reader.Proofs;
using Stele.Reader.Sources;
using Stele.Reader.Verification;
using Stele.Storage;
using Stele.Tlog;
using Stele.Tlog.Notes;

namespace Stele.Reader;

/// <summary>
/// Reading a Stele log with no server: verify it, prove inclusion or consistency, mirror it. Every call
/// takes the verifier key the caller trusts; nothing here can report "verified" without one.
/// </summary>
public static class LogReader
{
    /// <summary>Parses a verifier string <c>origin+hash+base64</c>.</summary>
    public static NoteVerifierKey ParseVerifier(string verifier) => NoteVerifierKey.Parse(verifier);

    public static Task<VerifiedLog> VerifyAsync(ILogSource source, NoteVerifierKey trusted, VerifyOptions? options = null,
        IProgress<VerifyProgress>? progress = null, CancellationToken cancellationToken = default) =>
        LogVerifier.VerifyAsync(source, trusted, options, progress, cancellationToken);

    public static Task<InclusionProof> ProveInclusionAsync(ILogSource source, NoteVerifierKey trusted, ulong leaf, CancellationToken cancellationToken = default) =>
        LogProver.ProveInclusionAsync(source, trusted, leaf, cancellationToken);

    public static Task<InclusionProof> ProveInclusionAsync(ILogSource source, NoteVerifierKey trusted, Hash leafHash, CancellationToken cancellationToken = default) =>
        LogProver.ProveInclusionAsync(source, trusted, leafHash, cancellationToken);

    public static Task<ConsistencyProof> ProveConsistencyAsync(ILogSource source, NoteVerifierKey trusted, TreeSize oldSize,
        ReadOnlyMemory<byte>? oldCheckpoint = null, CancellationToken cancellationToken = default) =>
        LogProver.ProveConsistencyAsync(source, trusted, oldSize, oldCheckpoint, cancellationToken);

    public static Task<MirrorResult> MirrorAsync(ILogSource source, IObjectStore destination, NoteVerifierKey trusted, VerifyOptions? options = null,
        IProgress<MirrorProgress>? progress = null, CancellationToken cancellationToken = default) =>
        LogMirror.MirrorAsync(source, destination, trusted, options, progress, cancellationToken);
}
