using System.Net;

namespace Stele.Broker.Io;

/// <summary>
/// The 64-bit source handle the hot path carries instead of an endpoint object. IPv4 (and IPv4-mapped
/// IPv6) peers are packed in full: <c>address &lt;&lt; 16 | port</c>, top 16 bits zero. IPv6 peers set
/// <see cref="Ipv6Flag"/> and name a slot and generation of the broker's <see cref="PeerAddresses"/>
/// table, with <see cref="Ipv6LoopbackFlag"/> set for ::1 so the worker can tell loopback without the table.
/// </summary>
public static class SourceAddress
{
    public const ulong Ipv6Flag = 1UL << 63;
    public const ulong Ipv6LoopbackFlag = 1UL << 62;

    public static ulong Pack(uint addressHostOrder, ushort port) => ((ulong)addressHostOrder << 16) | port;

    public static ulong From(IPEndPoint endPoint)
    {
        var bytes = endPoint.Address.MapToIPv4().GetAddressBytes();
        return Pack((uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]), (ushort)endPoint.Port);
    }

    public static bool IsIpv6(ulong source) => (source & Ipv6Flag) != 0;

    public static uint Address(ulong source) => (uint)(source >> 16);

    public static ushort Port(ulong source) => (ushort)source;

    public static bool IsLoopback(ulong source) =>
        IsIpv6(source) ? (source & Ipv6LoopbackFlag) != 0 : (Address(source) >> 24) == 127;

}
