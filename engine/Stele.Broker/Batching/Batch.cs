using System.Buffers.Binary;
using Stele.Broker.Protocol;

namespace Stele.Broker.Batching;

/// <summary>
/// The storage of one batch, allocated once and reused through <see cref="BatchPool"/>: per-entry
/// fields in parallel arrays, salts/commitments/signatures/media types/contents in one byte arena,
/// so accepting a submission copies bytes and allocates nothing.
/// </summary>
internal sealed class Batch
{
    public const int DescriptorMaxLength = 8 + 8 + 32 + 8 + 1 + 127;
    private const int SaltAt = 0, CommitmentAt = 32, SignatureAt = 64;

    public Batch(int capacity, int arenaBytes)
    {
        Capacity = capacity;
        Client = new ulong[capacity];
        Sequence = new ulong[capacity];
        Source = new ulong[capacity];
        Offset = new int[capacity];
        ContentLength = new ushort[capacity];
        MediaLength = new byte[capacity];
        Signed = new bool[capacity];
        Excluded = new bool[capacity];
        Order = new int[capacity];
        Arena = new byte[arenaBytes];
        Keys = new HashSet<UInt128>(capacity);
        Commitments = new HashSet<UInt128>(capacity);
        Tree = new FlatBatchTree(capacity);
        RangeClient = new ulong[capacity];
        RangeFirst = new int[capacity];
        RangeCount = new int[capacity];
        ShareLength = new byte[capacity];
        ShareSource = new ulong[capacity];
        Shares = new byte[capacity * WireFormat.UncompressedShareLength];
    }

    public int Capacity { get; }
    public ulong Id { get; set; }
    public int Round { get; set; }
    private int _state;

    /// <summary>
    /// Written last by whoever builds a proposal (possibly the proposer thread) and read first by the worker,
    /// so a worker that sees <see cref="BatchState.Proposed"/> also sees the tree, root and client ranges.
    /// </summary>
    public BatchState State
    {
        get => (BatchState)Volatile.Read(ref _state);
        set => Volatile.Write(ref _state, (int)value);
    }
    public long OpenedAt { get; set; }
    private long _proposedAt;

    /// <summary>When the share timeout starts; the proposer thread moves it to its last proof while the worker may read it.</summary>
    public long ProposedAt
    {
        get => Volatile.Read(ref _proposedAt);
        set => Volatile.Write(ref _proposedAt, value);
    }
    /// <summary>Once committed: the BatchDistilled event's stream position, and the first leaf once the fold placed it.</summary>
    public long Position { get; set; }
    public ulong? FirstLeaf { get; set; }

    // ---- collected entries, in arrival order --------------------------------------------------
    public int Count { get; private set; }
    public ulong[] Client { get; }
    public ulong[] Sequence { get; }
    public ulong[] Source { get; }
    public int[] Offset { get; }
    public ushort[] ContentLength { get; }
    public byte[] MediaLength { get; }
    public bool[] Signed { get; }
    public bool[] Excluded { get; }
    public byte[] Arena { get; }
    public int ArenaUsed { get; private set; }
    public HashSet<UInt128> Keys { get; }
    public HashSet<UInt128> Commitments { get; }

    // ---- the proposal: canonical order, tree, client ranges, shares ---------------------------
    /// <summary>Entry (arrival) index of each leaf, in canonical (client, sequence) order.</summary>
    public int[] Order { get; }
    public int Size { get; set; }
    public FlatBatchTree Tree { get; }
    public byte[] Root { get; } = new byte[WireFormat.HashLength];
    public int Ranges { get; set; }
    public ulong[] RangeClient { get; }
    public int[] RangeFirst { get; }
    public int[] RangeCount { get; }
    public byte[] Shares { get; }
    public byte[] ShareLength { get; }
    public ulong[] ShareSource { get; }
    public int SharesReceived { get; set; }

    public bool IsFull => Count == Capacity;

    public static UInt128 Key(ulong client, ulong sequence) => new(client, sequence);

    public static UInt128 CommitmentKey(ReadOnlySpan<byte> commitment) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(commitment), BinaryPrimitives.ReadUInt64LittleEndian(commitment[8..]));

    public static int ArenaBytesFor(in SubmitMessage m) => SignatureAt + m.Signature.Length + m.MediaType.Length + m.Content.Length;

    public bool HasRoomFor(in SubmitMessage m) => Count < Capacity && ArenaUsed + ArenaBytesFor(m) <= Arena.Length;

    /// <summary>Copies a validated submission in; the caller has checked room, duplicates and freshness.</summary>
    public void Add(in SubmitMessage m, ulong source)
    {
        var i = Count++;
        Client[i] = m.Client;
        Sequence[i] = m.Sequence;
        Source[i] = source;
        Offset[i] = ArenaUsed;
        ContentLength[i] = (ushort)m.Content.Length;
        MediaLength[i] = (byte)m.MediaType.Length;
        Signed[i] = !m.Signature.IsEmpty;
        Excluded[i] = false;
        var at = Arena.AsSpan(ArenaUsed);
        m.Salt.CopyTo(at[SaltAt..]);
        m.Commitment.CopyTo(at[CommitmentAt..]);
        var next = SignatureAt;
        if (Signed[i])
        {
            m.Signature.CopyTo(at[next..]);
            next += WireFormat.Ed25519SignatureLength;
        }
        m.MediaType.CopyTo(at[next..]);
        m.Content.CopyTo(at[(next + m.MediaType.Length)..]);
        ArenaUsed += next + m.MediaType.Length + m.Content.Length;
        Keys.Add(Key(m.Client, m.Sequence));
        Commitments.Add(CommitmentKey(m.Commitment));
    }

    public ReadOnlySpan<byte> Salt(int entry) => Arena.AsSpan(Offset[entry] + SaltAt, WireFormat.SaltLength);

    public ReadOnlySpan<byte> Commitment(int entry) => Arena.AsSpan(Offset[entry] + CommitmentAt, WireFormat.HashLength);

    public ReadOnlySpan<byte> Signature(int entry) =>
        Signed[entry] ? Arena.AsSpan(Offset[entry] + SignatureAt, WireFormat.Ed25519SignatureLength) : default;

    public ReadOnlySpan<byte> MediaType(int entry) => Arena.AsSpan(Offset[entry] + SignatureAt + (Signed[entry] ? 64 : 0), MediaLength[entry]);

    public ReadOnlySpan<byte> Content(int entry) =>
        Arena.AsSpan(Offset[entry] + SignatureAt + (Signed[entry] ? 64 : 0) + MediaLength[entry], ContentLength[entry]);

    /// <summary>The entry's descriptor bytes (docs/log-format.md): what the batch tree hashes and signatures cover.</summary>
    public int WriteDescriptor(int entry, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Client[entry]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Sequence[entry]);
        Commitment(entry).CopyTo(destination[16..]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[48..], ContentLength[entry]);
        destination[56] = MediaLength[entry];
        MediaType(entry).CopyTo(destination[57..]);
        return 57 + MediaLength[entry];
    }

    /// <summary>The leaf of (client, sequence) in the current proposal, or -1 (never proposed, or dropped as uncovered).</summary>
    public int FindLeaf(ulong client, ulong sequence)
    {
        var r = FindRange(client);
        if (r < 0) return -1;
        for (var leaf = RangeFirst[r]; leaf < RangeFirst[r] + RangeCount[r]; leaf++)
            if (Sequence[Order[leaf]] == sequence) return leaf;
        return -1;
    }

    /// <summary>Index of <paramref name="client"/>'s range among the proposal's client ranges, or -1.</summary>
    public int FindRange(ulong client) => Array.BinarySearch(RangeClient, 0, Ranges, client) is var i and >= 0 ? i : -1;

    public ReadOnlySpan<byte> Share(int range) => Shares.AsSpan(range * WireFormat.UncompressedShareLength, ShareLength[range]);

    /// <summary>Forgets everything; the arrays stay allocated for the next batch.</summary>
    public void Reset(ulong id, long now)
    {
        Id = id;
        Round = 0;
        State = BatchState.Collecting;
        OpenedAt = now;
        ProposedAt = 0;
        Position = 0;
        FirstLeaf = null;
        Count = 0;
        ArenaUsed = 0;
        Size = 0;
        Ranges = 0;
        SharesReceived = 0;
        Keys.Clear();
        Commitments.Clear();
    }
}
