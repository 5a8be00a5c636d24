using System.Runtime.InteropServices;

namespace Stele.Broker.Io;

/// <summary>The Linux calls the broker threads need: recvmmsg/sendmmsg (many datagrams per system call) and sched_setaffinity.</summary>
internal static unsafe partial class Native
{
    public const int MsgWaitForOne = 0x10000;
    public const int MsgTrunc = 0x20;
    public const int AfInet = 2;
    public const int AfInet6 = 10;
    public const int EAgain = 11;
    public const int EIntr = 4;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr: 64 bytes on x86-64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary>struct sockaddr_in: family, port and address in network order, 8 bytes of zero.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct SockAddrIn
    {
        public ushort Family;
        public ushort PortBigEndian;
        public uint AddressBigEndian;
    }

    /// <summary>
    /// Room for either family: struct sockaddr_in6 (family, port, flow info, 16-byte address, scope id),
    /// whose first 16 bytes are a struct sockaddr_in when <see cref="Family"/> is AF_INET.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 28)]
    public struct SockAddr
    {
        [FieldOffset(0)] public ushort Family;
        [FieldOffset(2)] public ushort PortBigEndian;
        [FieldOffset(4)] public uint Ipv4BigEndian; // AF_INET
        [FieldOffset(4)] public uint FlowInfo; // AF_INET6
        [FieldOffset(8)] public ulong Ipv6High; // AF_INET6 address bytes 0..7, as in memory
        [FieldOffset(16)] public ulong Ipv6Low; // bytes 8..15
        [FieldOffset(24)] public uint ScopeId;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int recvmmsg(int fd, MMsgHdr* vector, uint length, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sendmmsg(int fd, MMsgHdr* vector, uint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint size, ulong* mask);

    /// <summary>Pins the calling thread (pid 0 = this thread) to one core; false if the kernel refuses.</summary>
    public static bool PinCurrentThread(int core)
    {
        if (core is < 0 or >= 64) return false;
        var mask = 1UL << core;
        return sched_setaffinity(0, (nuint)sizeof(ulong), &mask) == 0;
    }

    /// <summary>Points one mmsghdr at one buffer (and a peer address, or none for a receive that does not need it).</summary>
    public static void Describe(MMsgHdr* header, IoVec* vector, byte* data, int length, SockAddrIn* address) =>
        Describe(header, vector, data, length, address, address == null ? 0 : sizeof(SockAddrIn));

    /// <summary>Points one mmsghdr at one buffer and an address of <paramref name="addressLength"/> bytes.</summary>
    public static void Describe(MMsgHdr* header, IoVec* vector, byte* data, int length, void* address, int addressLength)
    {
        vector->Base = data;
        vector->Length = (nuint)length;
        *header = default;
        header->Header.Name = address;
        header->Header.NameLength = (uint)addressLength;
        header->Header.Iov = vector;
        header->Header.IovLength = 1;
    }

    public static SockAddrIn FromSource(ulong source) => new()
    {
        Family = AfInet,
        PortBigEndian = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(SourceAddress.Port(source)),
        AddressBigEndian = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(SourceAddress.Address(source)),
    };
}
