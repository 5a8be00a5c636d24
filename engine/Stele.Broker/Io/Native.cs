using System.Runtime.InteropServices;

namespace Stele.Broker.Io;

/// <summary>The Linux calls the broker threads need: recvmmsg/sendmmsg (many datagrams per system call) and sched_setaffinity.</summary>
internal static unsafe partial class Native
{
    public const int MsgWaitForOne = 0x10000;
    public const int MsgTrunc = 0x20;
    public const int AfInet = 2;
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
    public static void Describe(MMsgHdr* header, IoVec* vector, byte* data, int length, SockAddrIn* address)
    {
        vector->Base = data;
        vector->Length = (nuint)length;
        *header = default;
        header->Header.Name = address;
        header->Header.NameLength = address == null ? 0u : (uint)sizeof(SockAddrIn);
        header->Header.Iov = vector;
        header->Header.IovLength = 1;
    }

    public static ulong ToSource(in SockAddrIn address) =>
        SourceAddress.Pack(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(address.AddressBigEndian),
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(address.PortBigEndian));

    public static SockAddrIn FromSource(ulong source) => new()
    {
        Family = AfInet,
        PortBigEndian = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(SourceAddress.Port(source)),
        AddressBigEndian = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(SourceAddress.Address(source)),
    };
}
