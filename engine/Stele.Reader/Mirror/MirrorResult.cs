using Stele.Reader.Verification;
using Stele.Tlog;

namespace Stele.Reader.Mirror;

/// <summary>What a mirror run did: the verified log it copied and how much was new.</summary>
public sealed record MirrorResult(VerifiedLog Log, TreeSize? PreviousSize, int FilesCopied, int FilesAlreadyPresent, long BytesCopied, int ErasedBlobsRemoved);

/// <summary>Mirror progress: the stage, and items done out of the stage's total.</summary>
public readonly record struct MirrorProgress(string Stage, long Done, long Total);
