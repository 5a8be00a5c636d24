using System.Buffers.Binary;

namespace Stele.Broker.Io;

/// <summary>
/// Converts kernel socket addresses to 64-bit source handles (<see cref="SourceAddress"/>) and back.
/// IPv4 and IPv4-mapped peers need no table. An IPv6 peer is remembered in a fixed table of
/// 65,536 slots chosen by a per-process randomized hash; its handle carries the slot and the slot's
/// generation, so a handle whose slot was since taken by another peer no longer resolves (the reply is
/// dropped and counted) — it can never reach the wrong peer. One writer (the receiver thread) and any
/// number of readers (the sender): each slot is a seqlock, odd while being rewritten.
/// </summary>
internal sealed class PeerAddresses
{
    private const int SlotBits = 16;
    private const int Slots = 1 << SlotBits;
    private readonly long[] _sequence = new long[Slots]; // even: stable; generation = sequence / 2
    private readonly ulong[] _high = new ulong[Slots], _low = new ulong[Slots];
    private readonly ushort[] _port = new ushort[Slots];
    private readonly uint[] _scope = new uint[Slots];

    /// <summary>The handle of a peer address the kernel reported (receiver thread only).</summary>
    public ulong Intern(in Native.SockAddr address)
    {
        if (address.Family == Native.AfInet)
            return SourceAddress.Pack(BinaryPrimitives.ReverseEndianness(address.Ipv4BigEndian), BinaryPrimitives.ReverseEndianness(address.PortBigEndian));
        if (IsIpv4Mapped(address))
            return SourceAddress.Pack(BinaryPrimitives.ReverseEndianness((uint)(address.Ipv6Low >> 32)), BinaryPrimitives.ReverseEndianness(address.PortBigEndian));
        var slot = HashCode.Combine(address.Ipv6High, address.Ipv6Low, address.PortBigEndian, address.ScopeId) & (Slots - 1);
        var sequence = _sequence[slot];
        if (sequence == 0 || _high[slot] != address.Ipv6High || _low[slot] != address.Ipv6Low || _port[slot] != address.PortBigEndian || _scope[slot] != address.ScopeId)
        {
            Interlocked.Exchange(ref _sequence[slot], sequence + 1); // odd: readers retry or give up
            _high[slot] = address.Ipv6High;
            _low[slot] = address.Ipv6Low;
            _port[slot] = address.PortBigEndian;
            _scope[slot] = address.ScopeId;
            sequence += 2;
            Volatile.Write(ref _sequence[slot], sequence);
        }
        var generation = (ulong)(sequence >> 1) & 0xFFFF_FFFF;
        var loopback = address.Ipv6High == 0 && address.Ipv6Low == LoopbackLow ? SourceAddress.Ipv6LoopbackFlag : 0;
        return SourceAddress.Ipv6Flag | loopback | (generation << SlotBits) | (uint)slot;
    }

    /// <summary>
    /// The socket address to reply to <paramref name="source"/> on a socket of the given family; false when
    /// the IPv6 peer's slot has since been taken by another peer (or an IPv6 handle meets an IPv4 socket).
    /// </summary>
    public bool TryResolve(ulong source, bool ipv6Socket, out Native.SockAddr address)
    {
        address = default;
        if (!SourceAddress.IsIpv6(source))
        {
            var port = BinaryPrimitives.ReverseEndianness(SourceAddress.Port(source));
            var ipv4 = BinaryPrimitives.ReverseEndianness(SourceAddress.Address(source));
            address.PortBigEndian = port;
            if (!ipv6Socket)
            {
                address.Family = Native.AfInet;
                address.Ipv4BigEndian = ipv4;
                return true;
            }
            address.Family = Native.AfInet6; // an IPv4 peer of a dual-stack socket: ::ffff:a.b.c.d
            address.Ipv6Low = MappedPrefixLow | ((ulong)ipv4 << 32);
            return true;
        }
        if (!ipv6Socket) return false;
        var slot = (int)(source & (Slots - 1));
        var generation = (long)((source >> SlotBits) & 0xFFFF_FFFF);
        var before = Volatile.Read(ref _sequence[slot]);
        if ((before & 1) != 0 || ((before >> 1) & 0xFFFF_FFFF) != generation || before == 0) return false;
        address.Family = Native.AfInet6;
        address.PortBigEndian = _port[slot];
        address.Ipv6High = _high[slot];
        address.Ipv6Low = _low[slot];
        address.ScopeId = _scope[slot];
        Interlocked.MemoryBarrier(); // the copies above happen before the re-check below
        return Volatile.Read(ref _sequence[slot]) == before;
    }

    // Address bytes 8..15 as a little-endian ulong: ::1 ends in byte 15 = 1; ::ffff:0:0/96 has bytes 10, 11 = 0xff.
    private const ulong LoopbackLow = 1UL << 56;
    private const ulong MappedPrefixLow = 0xFFFFUL << 16;

    private static bool IsIpv4Mapped(in Native.SockAddr address) =>
        address.Ipv6High == 0 && (address.Ipv6Low & 0xFFFF_FFFF) == MappedPrefixLow;
}
