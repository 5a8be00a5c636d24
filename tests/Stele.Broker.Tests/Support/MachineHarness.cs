using Stele.Broker.Batching;
using Stele.Broker.Clients;
using Stele.Broker.Counters;
using Stele.Broker.Protocol;
using Stele.Domain.Batches;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Broker.Tests.Support;

/// <summary>A batch machine on an in-memory outbox and a millisecond clock, with helpers to read what it sent.</summary>
internal sealed class MachineHarness : IBrokerOutbox
{
    public static readonly LogOrigin Origin = new("test.example/broker");

    public MachineHarness(BrokerOptions options, params RegisteredClient[] clients)
    {
        Directory = new ClientDirectory(clients);
        Machine = new BatchMachine(options, Counters, this, ticksPerSecond: 1000) { Directory = Directory };
    }

    public BrokerCounters Counters { get; } = new();
    public ClientDirectory Directory { get; }
    public BatchMachine Machine { get; }
    public List<(ulong Destination, byte[] Datagram)> Sent { get; } = [];
    public bool Full { get; set; }

    public bool TrySend(ulong destination, ReadOnlySpan<byte> datagram)
    {
        if (Full) return false;
        Sent.Add((destination, datagram.ToArray()));
        return true;
    }

    public void Submit(byte[] datagram, ulong source = 1, long now = 0)
    {
        Assert.Equal(DecodeError.None, SubmitMessage.TryDecode(datagram, out var m));
        Machine.OnSubmit(m, source, now);
    }

    public IEnumerable<byte[]> OfType(MessageType type) => Sent.Where(s => s.Datagram[1] == (byte)type).Select(s => s.Datagram);

    /// <summary>The root, count and batch id of the latest proposal, from its PROOF datagrams.</summary>
    public (ulong Batch, byte[] Root, int Count) LatestProposal()
    {
        var last = OfType(MessageType.Proof).Last();
        Assert.Equal(DecodeError.None, ProofMessage.TryDecode(last, out var p));
        return (p.Batch, p.Root.ToArray(), (int)p.Count);
    }

    public void Share(Identity client, (ulong Batch, byte[] Root, int Count) proposal, Func<byte[], byte[]>? sign = null, ulong source = 1)
    {
        var message = SigningMessages.Distilled(Origin, BatchRoot.FromBytes(proposal.Root), proposal.Count);
        var signature = sign?.Invoke(message) ?? client.Bls.Sign(message).ToUncompressedBytes();
        var datagram = new ShareMessage { Client = client.Id.Value, Batch = proposal.Batch, Root = proposal.Root, Signature = signature }.ToArray();
        Assert.Equal(DecodeError.None, ShareMessage.TryDecode(datagram, out var m));
        Machine.OnShare(m, source);
    }

    public long this[BrokerCounter counter] => Counters[counter];
}
