using System.Net;

namespace Stele.Broker;

/// <summary>Everything the broker can be told (docs/broker.md, "Operations"). Defaults suit one broker on a small machine.</summary>
public sealed record BrokerOptions
{
    /// <summary>The broker's name in BatchDistilled events.</summary>
    public string Name { get; init; } = "broker-1";
    public IPEndPoint Bind { get; init; } = new(IPAddress.Loopback, 7300);

    /// <summary>A batch closes when it holds this many entries (1 … 65,536) …</summary>
    public int BatchSize { get; init; } = 65_536;
    /// <summary>… or this long after its first entry.</summary>
    public TimeSpan BatchTimeout { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long a proposal waits for shares before distilling with what it has.</summary>
    public TimeSpan ShareTimeout { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Proposals (rounds) per batch before it is given up; later rounds only drop uncovered entries.</summary>
    public int MaxRounds { get; init; } = 3;
    /// <summary>Batches proposed, distilling or being written at once; beyond it the broker sheds submissions (bounded memory).</summary>
    public int MaxBatchesInFlight { get; init; } = 4;
    /// <summary>
    /// Released batches kept (with their trees) so a client whose PROOF or RESULT was lost, and who sends
    /// its submission again, hears them again instead of "replayed sequence". Each costs one batch buffer.
    /// </summary>
    public int RetainedBatches { get; init; } = 2;
    /// <summary>Bytes of openings (salts, commitments, signatures, media types, contents) one batch may hold.</summary>
    public int BatchArenaBytes { get; init; } = 16 << 20;

    /// <summary>Per-source token bucket: sustained datagrams per second and burst; 0 disables the limit.</summary>
    public double SourceRate { get; init; } = 5_000;
    public int SourceBurst { get; init; } = 64;

    public int ReceiveBufferBytes { get; init; } = 8 << 20;
    public int SendBufferBytes { get; init; } = 8 << 20;
    /// <summary>Receive slots between the receiver and the worker (each holds one datagram).</summary>
    public int ReceiveQueueSlots { get; init; } = 65_536;
    public int SendQueueSlots { get; init; } = 65_536;
    /// <summary>Send slots for the proposer's PROOF bursts; when they are all queued the proposer waits for the sender instead of dropping.</summary>
    public int ProofQueueSlots { get; init; } = 16_384;

    /// <summary>Cores to pin the threads to (sched_setaffinity); null leaves a thread unpinned.</summary>
    public int? ReceiverCore { get; init; }
    public int? WorkerCore { get; init; }
    public int? SenderCore { get; init; }
    /// <summary>The proposer thread (sort, batch tree, proofs of a closed batch); null leaves it to the scheduler.</summary>
    public int? ProposerCore { get; init; }

    /// <summary>How often the registered clients are re-read from stele.clients.</summary>
    public TimeSpan DirectoryRefresh { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How often committed batches are looked up in stele.entry_status to tell clients their leaf indices, and for how long.</summary>
    public TimeSpan LeafPoll { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan LeafPollLimit { get; init; } = TimeSpan.FromMinutes(2);

    public void Validate()
    {
        if (BatchSize is < 1 or > 65_536) throw new ArgumentException("the batch size is 1 to 65,536 entries");
        if (MaxRounds < 1) throw new ArgumentException("a batch needs at least one round");
        if (MaxBatchesInFlight < 1) throw new ArgumentException("at least one batch must be allowed in flight");
        if (RetainedBatches < 0) throw new ArgumentException("the number of retained batches cannot be negative");
        if (BatchArenaBytes < 64 * 1024) throw new ArgumentException("the batch arena must be at least 64 KiB");
        if (SourceRate < 0 || SourceBurst < 1) throw new ArgumentException("the source rate must be >= 0 and the burst >= 1");
        if (ReceiveQueueSlots < 64 || SendQueueSlots < 64 || ProofQueueSlots < 64) throw new ArgumentException("queues need at least 64 slots");
        if (BatchTimeout <= TimeSpan.Zero || ShareTimeout <= TimeSpan.Zero) throw new ArgumentException("timeouts must be positive");
    }
}
