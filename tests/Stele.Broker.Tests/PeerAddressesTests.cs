using System.Buffers.Binary;
using Stele.Broker.Io;

namespace Stele.Broker.Tests;

/// <summary>Source handles for IPv4, IPv4-mapped and IPv6 peers, and what happens when the IPv6 table must evict.</summary>
public sealed class PeerAddressesTests
{
    [Fact]
    public void An_ipv4_peer_packs_without_the_table_and_resolves_for_either_socket_family()
    {
        var peers = new PeerAddresses();
        var source = peers.Intern(Ipv4(0x7F000001, 4242));
        Assert.Equal(SourceAddress.Pack(0x7F000001, 4242), source);
        Assert.True(SourceAddress.IsLoopback(source));

        Assert.True(peers.TryResolve(source, ipv6Socket: false, out var plain));
        Assert.Equal(Native.AfInet, plain.Family);
        Assert.Equal(0x7F000001u, BinaryPrimitives.ReverseEndianness(plain.Ipv4BigEndian));
        Assert.Equal(4242, BinaryPrimitives.ReverseEndianness(plain.PortBigEndian));

        Assert.True(peers.TryResolve(source, ipv6Socket: true, out var mapped)); // dual-stack socket: ::ffff:127.0.0.1
        Assert.Equal(Native.AfInet6, mapped.Family);
        Assert.Equal(Ipv6Bytes("::ffff:127.0.0.1"), AddressBytes(mapped));
        Assert.Equal(source, peers.Intern(mapped)); // and a mapped address comes back as the same IPv4 handle
    }

    [Fact]
    public void An_ipv6_peer_gets_a_table_handle_that_resolves_to_its_address_and_knows_loopback()
    {
        var peers = new PeerAddresses();
        var loopback = peers.Intern(Ipv6("::1", 7300, scope: 0));
        var remote = peers.Intern(Ipv6("2001:db8::17", 9000, scope: 3));
        Assert.True(SourceAddress.IsIpv6(loopback) && SourceAddress.IsIpv6(remote));
        Assert.True(SourceAddress.IsLoopback(loopback));
        Assert.False(SourceAddress.IsLoopback(remote));
        Assert.Equal(remote, peers.Intern(Ipv6("2001:db8::17", 9000, scope: 3))); // a known peer keeps its handle
        Assert.NotEqual(remote, peers.Intern(Ipv6("2001:db8::17", 9001, scope: 3))); // another port is another peer

        Assert.True(peers.TryResolve(remote, ipv6Socket: true, out var back));
        Assert.Equal(Ipv6Bytes("2001:db8::17"), AddressBytes(back));
        Assert.Equal(9000, BinaryPrimitives.ReverseEndianness(back.PortBigEndian));
        Assert.Equal(3u, back.ScopeId);
        Assert.False(peers.TryResolve(remote, ipv6Socket: false, out _)); // an IPv4 socket cannot reach it
    }

    [Fact]
    public void When_more_ipv6_peers_arrive_than_the_table_holds_an_evicted_handle_fails_and_never_names_another_peer()
    {
        var peers = new PeerAddresses();
        const int count = 70_000; // > 65,536 slots: evictions are certain
        var handles = new ulong[count];
        for (var i = 0; i < count; i++) handles[i] = peers.Intern(Ipv6(Peer(i), 1000, 0));
        var unresolved = 0;
        for (var i = 0; i < count; i++)
        {
            if (!peers.TryResolve(handles[i], ipv6Socket: true, out var address))
            {
                unresolved++;
                continue;
            }
            Assert.Equal(Ipv6Bytes(Peer(i)), AddressBytes(address));
        }
        Assert.InRange(unresolved, count - 65_536, count - 1);
        static string Peer(int i) => $"2001:db8::{i >> 16:x}:{i & 0xFFFF:x}";
    }

    private static Native.SockAddr Ipv4(uint address, ushort port) => new()
    {
        Family = Native.AfInet,
        PortBigEndian = BinaryPrimitives.ReverseEndianness(port),
        Ipv4BigEndian = BinaryPrimitives.ReverseEndianness(address),
    };

    private static Native.SockAddr Ipv6(string address, ushort port, uint scope)
    {
        var bytes = Ipv6Bytes(address);
        return new Native.SockAddr
        {
            Family = Native.AfInet6,
            PortBigEndian = BinaryPrimitives.ReverseEndianness(port),
            Ipv6High = BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            Ipv6Low = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)),
            ScopeId = scope,
        };
    }

    private static byte[] Ipv6Bytes(string address) => System.Net.IPAddress.Parse(address).GetAddressBytes();

    private static byte[] AddressBytes(Native.SockAddr a)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, a.Ipv6High);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), a.Ipv6Low);
        return bytes;
    }
}
