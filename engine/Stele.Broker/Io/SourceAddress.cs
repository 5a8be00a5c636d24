using System.Net;

namespace Stele.Broker.Io;

/// <summary>An IPv4 address and port packed in one ulong (address &lt;&lt; 16 | port), so the hot path carries sources without objects.</summary>
public static class SourceAddress
{
    public static ulong Pack(uint addressHostOrder, ushort port) => ((ulong)addressHostOrder << 16) | port;

    public static ulong From(IPEndPoint endPoint)
    {
        var bytes = endPoint.Address.MapToIPv4().GetAddressBytes();
        return Pack((uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]), (ushort)endPoint.Port);
    }

    public static uint Address(ulong source) => (uint)(source >> 16);

    public static ushort Port(ulong source) => (ushort)source;

    public static bool IsLoopback(ulong source) => (Address(source) >> 24) == 127;

    public static IPEndPoint ToEndPoint(ulong source)
    {
        var a = Address(source);
        return new IPEndPoint(new IPAddress([(byte)(a >> 24), (byte)(a >> 16), (byte)(a >> 8), (byte)a]), Port(source));
    }
}
