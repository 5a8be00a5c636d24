using System.Runtime.InteropServices;

namespace Stele.Broker.Io;

/// <summary>
/// A fixed pool of datagram buffers in one pinned array, with each slot's length and peer address.
/// Slot numbers travel through <see cref="SpscRing"/>s; the bytes never move or get reallocated.
/// </summary>
internal sealed unsafe class DatagramSlots
{
    private readonly byte[] _buffer;

    public DatagramSlots(int count, int slotSize)
    {
        Count = count;
        SlotSize = slotSize;
        _buffer = GC.AllocateUninitializedArray<byte>(count * slotSize, pinned: true);
        Length = new int[count];
        Peer = new ulong[count];
    }

    public int Count { get; }
    public int SlotSize { get; }
    /// <summary>Bytes in the slot; larger than <see cref="SlotSize"/> when the kernel truncated the datagram.</summary>
    public int[] Length { get; }
    public ulong[] Peer { get; }

    public byte* Pointer(int slot) => (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, slot * SlotSize);

    public Span<byte> Buffer(int slot) => _buffer.AsSpan(slot * SlotSize, SlotSize);

    public ReadOnlySpan<byte> Datagram(int slot) => _buffer.AsSpan(slot * SlotSize, Math.Min(Length[slot], SlotSize));
}
