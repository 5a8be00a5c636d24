using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Npgsql;
using Stele.Broker.BackPressure;
using Stele.Broker.Batching;
using Stele.Broker.Clients;
using Stele.Broker.Counters;
using Stele.Broker.Io;
using Stele.Broker.Protocol;
using Stele.Broker.Writing;
using Stele.Domain.Identity;
using Stele.EventStore;

namespace Stele.Broker;

/// <summary>
/// A running broker: the receiver, worker and sender threads (each optionally pinned to a core),
/// connected by bounded rings over pooled slots; distillation on the thread pool; one stream writer
/// that appends batches in close order; background refresh of the registered clients; and a leaf
/// tracker that tells clients their leaf indices once the fold has placed a batch.
/// </summary>
public sealed class BrokerServer : IAsyncDisposable
{
    private const int ReceiveSlotSize = 2048; // > MaxDatagram, so a larger datagram shows as truncated and is counted oversized
    private const int SendSlotSize = 1024;

    private readonly BrokerOptions _options;
    private readonly LogOrigin _origin;
    private readonly ClientDirectoryLoader _loader;
    private readonly DistilledBatchWriter _writer;
    private readonly NpgsqlDataSource _database;
    private readonly Socket _socket;
    private readonly DatagramSlots _rx;
    private readonly PeerAddresses _peers = new();
    private readonly SpscRing _rxFree, _rxFilled;
    private readonly SendQueue _replies, _proofs; // the sender's lanes: the worker's and the proposer's
    private readonly Doorbell _workerBell = new(), _senderBell = new();
    private readonly System.Collections.Concurrent.BlockingCollection<Batch> _toPropose = new();
    private readonly BatchMachine _machine;
    private readonly SourceRateLimiter _limiter;
    private readonly ConcurrentQueue<Action<BatchMachine>> _completions = new();
    private readonly Channel<(Batch Batch, DistilOutcome Outcome)> _writes = Channel.CreateUnbounded<(Batch, DistilOutcome)>(new() { SingleReader = true });
    private readonly Channel<TrackedBatch> _tracked = Channel.CreateUnbounded<TrackedBatch>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];
    private readonly List<Task> _tasks = [];
    private ClientDirectory _directory = ClientDirectory.Empty;
    private ClientDirectory? _pendingDirectory;

    private BrokerServer(BrokerOptions options, LogOrigin origin, NpgsqlDataSource database, PostgresEventStore events)
    {
        _options = options;
        _origin = origin;
        _database = database;
        _loader = new ClientDirectoryLoader(database);
        _writer = new DistilledBatchWriter(database, events);
        _socket = new Socket(options.Bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = options.ReceiveBufferBytes,
            SendBufferSize = options.SendBufferBytes,
            ReceiveTimeout = 100, // recvmmsg returns every 100 ms so the receiver notices a stop
        };
        if (options.Bind.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = true; // [::] also takes IPv4 peers (as ::ffff:a.b.c.d)
        _socket.Bind(options.Bind);
        _rx = new DatagramSlots(options.ReceiveQueueSlots, ReceiveSlotSize);
        _rxFree = Ring(options.ReceiveQueueSlots, fill: true);
        _rxFilled = Ring(options.ReceiveQueueSlots, fill: false);
        _replies = new SendQueue(new DatagramSlots(options.SendQueueSlots, SendSlotSize), Ring(options.SendQueueSlots, fill: true), Ring(options.SendQueueSlots, fill: false), _senderBell);
        _proofs = new SendQueue(new DatagramSlots(options.ProofQueueSlots, SendSlotSize), Ring(options.ProofQueueSlots, fill: true), Ring(options.ProofQueueSlots, fill: false), _senderBell,
            _stop.Token, waitWhenFull: true);
        _machine = new BatchMachine(options, Counters, _replies, Stopwatch.Frequency, proposeInline: false);
        _limiter = new SourceRateLimiter(options.SourceRate, options.SourceBurst, Stopwatch.Frequency);
    }

    public BrokerCounters Counters { get; } = new();

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>The registered clients the broker currently serves.</summary>
    public ClientDirectory Directory => Volatile.Read(ref _directory);

    /// <summary>Loads the registered clients, binds the socket and starts the threads.</summary>
    public static async Task<BrokerServer> StartAsync(BrokerOptions options, LogOrigin origin, NpgsqlDataSource database, PostgresEventStore events, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var server = new BrokerServer(options, origin, database, events);
        try
        {
            await server.RefreshDirectoryAsync(cancellationToken).ConfigureAwait(false);
            server.Start();
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Re-reads stele.clients now (it also happens every <see cref="BrokerOptions.DirectoryRefresh"/>).</summary>
    public async Task RefreshDirectoryAsync(CancellationToken cancellationToken = default)
    {
        var directory = await _loader.LoadAsync(Directory, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _directory, directory);
        Volatile.Write(ref _pendingDirectory, directory);
        _workerBell.Ring();
    }

    private void Start()
    {
        var fd = (int)_socket.Handle;
        StartThread("broker-receiver", _options.ReceiverCore, () => new ReceiveLoop(fd, _peers, _rx, _rxFree, _rxFilled, _workerBell, Counters).Run(_stop.Token));
        StartThread("broker-worker", _options.WorkerCore, RunWorker);
        StartThread("broker-proposer", _options.ProposerCore, RunProposer);
        StartThread("broker-sender", _options.SenderCore, () => new SendLoop(fd, _socket.AddressFamily == AddressFamily.InterNetworkV6, _peers, [_replies, _proofs], _senderBell, Counters).Run(_stop.Token));
        _tasks.Add(Task.Run(RunWriterAsync));
        _tasks.Add(Task.Run(RunDirectoryRefreshAsync));
        _tasks.Add(Task.Run(RunLeafTrackerAsync));
    }

    private void StartThread(string name, int? core, Action body)
    {
        var thread = new Thread(() =>
        {
            if (core is { } c && !Native.PinCurrentThread(c)) Console.Error.WriteLine($"{name}: cannot pin to core {c} (sched_setaffinity failed); running unpinned");
            body();
        })
        { Name = name, IsBackground = true };
        thread.Start();
        _threads.Add(thread);
    }

    // ---- the worker thread ----------------------------------------------------------------------

    private void RunWorker()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _pendingDirectory, null) is { } directory) _machine.Directory = directory;
            var now = Stopwatch.GetTimestamp();
            var handled = 0;
            while (handled < 4096 && _rxFilled.TryDequeue(out var slot))
            {
                Handle(_rx.Datagram(slot), _rx.Length[slot], _rx.Peer[slot], now);
                _rxFree.TryEnqueue(slot);
                handled++;
            }
            while (_completions.TryDequeue(out var completion))
            {
                completion(_machine);
                handled++;
            }
            _machine.Tick(Stopwatch.GetTimestamp());
            DispatchWork();
            if (handled == 0) _workerBell.Sleep(_rxFilled, 1);
        }
    }

    private void Handle(ReadOnlySpan<byte> datagram, int length, ulong source, long now)
    {
        if (!_limiter.TryTake(source, now))
        {
            Counters.Add(BrokerCounter.DroppedRateLimited);
            return;
        }
        if (length > WireFormat.MaxDatagram)
        {
            Counters.Add(BrokerCounter.DroppedOversized);
            return;
        }
        var error = Datagram.TryReadType(datagram, out var type);
        if (error != DecodeError.None)
        {
            Counters.Add(BrokerCounters.ForDecodeError(error));
            return;
        }
        switch (type)
        {
            case MessageType.Submit:
                error = SubmitMessage.TryDecode(datagram, out var submit);
                if (error == DecodeError.None) _machine.OnSubmit(submit, source, now);
                break;
            case MessageType.Share:
                error = ShareMessage.TryDecode(datagram, out var share);
                if (error == DecodeError.None) _machine.OnShare(share, source);
                break;
            case MessageType.StatsRequest:
                if (datagram.Length == WireFormat.HeaderLength) _machine.OnStatsRequest(source);
                else error = DecodeError.Malformed;
                break;
            default:
                Counters.Add(BrokerCounter.DroppedUnexpectedType); // broker-to-client messages sent to the broker
                return;
        }
        if (error != DecodeError.None) Counters.Add(BrokerCounters.ForDecodeError(error));
    }

    /// <summary>The proposer thread: closing a batch (sort, BLAKE3 tree, one PROOF per entry) off the receive path.</summary>
    private void RunProposer()
    {
        var scratch = new byte[WireFormat.MaxDatagram];
        try
        {
            foreach (var batch in _toPropose.GetConsumingEnumerable(_stop.Token))
            {
                _machine.ProposeSealed(batch, _proofs, scratch, Stopwatch.GetTimestamp());
                _workerBell.Ring(); // shares may already be due
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void DispatchWork()
    {
        while (_machine.ReadyToPropose.TryDequeue(out var sealedBatch)) _toPropose.Add(sealedBatch);
        while (_machine.ReadyToDistil.TryDequeue(out var batch))
        {
            var directory = _machine.Directory;
            _ = Task.Run(() =>
            {
                DistilOutcome outcome;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    outcome = Distiller.Distil(batch, directory, _origin);
                    Counters.Add(BrokerCounter.DistilMilliseconds, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception ex)
                {
                    Console.Error.WriteLine($"broker: distillation of batch {batch.Id} failed: {ex.Message}");
                    outcome = new DistilOutcome([], null, [], [], 0, 0);
                }
                _completions.Enqueue(m => m.OnDistilled(batch, outcome, Stopwatch.GetTimestamp()));
                _workerBell.Ring();
            });
        }
        while (_machine.ReadyToWrite.TryDequeue(out var item)) _writes.Writer.TryWrite(item);
    }

    // ---- background tasks -----------------------------------------------------------------------

    private Task RunWriterAsync() =>
        new PipelinedBatchWrites(_writer, _options.Name, Counters, OnBatchWritten, OnBatchWriteFailed).RunAsync(_writes.Reader, _stop.Token);

    private void OnBatchWritten(Batch batch, DistilOutcome outcome, long position)
    {
        var tracked = TrackedBatch.From(batch); // before the worker may recycle the batch's buffers
        _completions.Enqueue(m => m.OnWritten(batch, outcome, position));
        _workerBell.Ring();
        _tracked.Writer.TryWrite(tracked);
    }

    private void OnBatchWriteFailed(Batch batch, DistilOutcome outcome, Exception error)
    {
        Console.Error.WriteLine($"broker: batch {batch.Id} was not written: {error.Message.ReplaceLineEndings(" ")}");
        _completions.Enqueue(m => m.OnWriteFailed(batch));
        _workerBell.Ring();
    }

    private async Task RunDirectoryRefreshAsync()
    {
        using var timer = new PeriodicTimer(_options.DirectoryRefresh);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await RefreshDirectoryAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    Console.Error.WriteLine($"broker: cannot refresh the registered clients: {ex.Message.ReplaceLineEndings(" ")}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Polls stele.entry_status for each committed batch's first entry; once the fold placed it, every client hears the first leaf.</summary>
    private async Task RunLeafTrackerAsync()
    {
        var pending = new List<TrackedBatch>();
        using var timer = new PeriodicTimer(_options.LeafPoll);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                while (_tracked.Reader.TryRead(out var t)) pending.Add(t);
                if (pending.Count == 0) continue;
                try
                {
                    await using var connection = await _database.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                    foreach (var batch in pending.ToArray())
                    {
                        await using var command = new NpgsqlCommand("SELECT leaf_index FROM stele.entry_status WHERE client_id = $1 AND sequence = $2", connection);
                        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)batch.FirstClient) });
                        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unchecked((long)batch.FirstSequence) });
                        var result = await command.ExecuteScalarAsync(_stop.Token).ConfigureAwait(false);
                        var expired = Stopwatch.GetElapsedTime(batch.CommittedAt) > _options.LeafPollLimit;
                        if (result is null && !expired) continue; // not folded yet
                        pending.Remove(batch);
                        var (status, value) = result is long leaf ? (ResultStatus.InLog, (ulong)leaf) : (ResultStatus.Failed, (ulong)RejectReason.BatchFailed);
                        if (result is DBNull) (status, value) = (ResultStatus.Failed, (ulong)RejectReason.BatchFailed); // the fold refused the batch
                        _completions.Enqueue(m =>
                        {
                            if (status == ResultStatus.InLog) m.OnPlaced(batch.Id, value);
                            for (var i = 0; i < batch.Clients.Length; i++) m.AnnounceTo(batch.Destinations[i], batch.Clients[i], batch.Id, batch.Root, status, value);
                        });
                        _workerBell.Ring();
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    Console.Error.WriteLine($"broker: leaf lookup failed: {ex.Message.ReplaceLineEndings(" ")}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static SpscRing Ring(int slots, bool fill)
    {
        var ring = new SpscRing((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)slots));
        if (fill) for (var i = 0; i < slots; i++) ring.TryEnqueue(i);
        return ring;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _workerBell.Ring();
        _senderBell.Ring();
        foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(5));
        _writes.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }
        _socket.Dispose();
        _toPropose.Dispose();
        _stop.Dispose();
    }

    /// <summary>What the leaf tracker keeps of a written batch after its buffers went back to the pool.</summary>
    private sealed record TrackedBatch(ulong Id, byte[] Root, ulong FirstClient, ulong FirstSequence, ulong[] Clients, ulong[] Destinations, long CommittedAt)
    {
        public static TrackedBatch From(Batch batch)
        {
            var clients = new ulong[batch.Ranges];
            var destinations = new ulong[batch.Ranges];
            for (var r = 0; r < batch.Ranges; r++)
            {
                clients[r] = batch.RangeClient[r];
                destinations[r] = batch.ShareLength[r] != 0 ? batch.ShareSource[r] : batch.Source[batch.Order[batch.RangeFirst[r]]];
            }
            var first = batch.Order[0];
            return new TrackedBatch(batch.Id, batch.Root.ToArray(), batch.Client[first], batch.Sequence[first], clients, destinations, Stopwatch.GetTimestamp());
        }
    }
}
